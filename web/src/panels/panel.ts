/**
 * The side panel (a bottom sheet on narrow screens) that device and area details render into.
 * Opening moves focus to its heading; Escape or the close button closes it and returns focus.
 */
export class Panel {
  private returnFocus: HTMLElement | null = null;
  private controller: AbortController | null = null;

  /** `onResize`: the panel took or gave back room (the map must re-measure itself) */
  constructor(private readonly root: HTMLElement, private readonly onResize: () => void = () => undefined) {
    root.querySelector('.na-panel__close')?.addEventListener('click', () => this.close());
    root.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close(); });
  }

  /** Shows a fresh body and returns it with a signal that aborts when the panel is reused or closed. */
  open(title: string, kind: 'device' | 'area'): { body: HTMLElement; signal: AbortSignal } {
    this.controller?.abort();
    this.controller = new AbortController();
    if (this.root.hidden) this.returnFocus = document.activeElement as HTMLElement | null;
    const wasHidden = this.root.hidden;
    this.root.hidden = false;
    if (wasHidden) this.onResize();
    this.root.dataset['kind'] = kind;
    const h = this.root.querySelector<HTMLElement>('.na-panel__title')!;
    h.textContent = title;
    const body = this.root.querySelector<HTMLElement>('.na-panel__body')!;
    body.replaceChildren();
    body.setAttribute('aria-busy', 'true');
    h.focus();
    return { body, signal: this.controller.signal };
  }

  close(): void {
    this.controller?.abort();
    this.controller = null;
    if (!this.root.hidden) { this.root.hidden = true; this.onResize(); }
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  get kind(): string | undefined {
    return this.root.hidden ? undefined : this.root.dataset['kind'];
  }
}

/** A <dl> of term/description pairs; values are text, never HTML. */
export function facts(rows: readonly [string, string, string?][]): HTMLDListElement {
  const dl = document.createElement('dl');
  dl.className = 'na-facts';
  for (const [term, value, key] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (key) dd.dataset['fact'] = key;
    dl.append(dt, dd);
  }
  return dl;
}

export function section(title: string): HTMLElement {
  const s = document.createElement('section');
  const h = document.createElement('h3');
  h.textContent = title;
  s.append(h);
  return s;
}

export function message(text: string, kind: 'error' | 'note' = 'note'): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = `na-msg na-msg--${kind}`;
  if (kind === 'error') p.setAttribute('role', 'alert');
  p.textContent = text;
  return p;
}
