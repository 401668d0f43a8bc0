/** The browser download the page's exports share (model, session, plot data). */

/** Save `text` as a file named `name` through the browser's download. */
export function downloadText(text: string, name: string, type = 'application/json'): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
