export function chromiumPath(): string | undefined;
export function chromiumArgs(options?: { webgpu?: boolean }): string[];
