/** Messages for the user (link problems, import errors, backend fallbacks), each dismissible. */
import { useNotices } from '../../state/noticeStore';

export function NoticeList() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="app-notices" role="status" aria-live="polite" aria-label="Notices">
      {notices.map((n) => (
        <p key={n.id} className={`app-notice app-notice-${n.level}`}>
          <span>{n.text}</span>
          {n.action ? (
            <button type="button" className="app-notice-action" onClick={n.action.run}>
              {n.action.label}
            </button>
          ) : null}
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
