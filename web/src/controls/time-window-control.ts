/**
 * The time-window selector: a labelled <select> (24 h, 7 d, 30 d, custom) and, for custom, two
 * datetime inputs and an Apply button. Plain form controls, so the keyboard works as everywhere.
 */
import L from '../leaflet-global.js';
import { PRESET_LABELS, type Preset, type TimeWindow } from '../time-window.js';

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export class TimeWindowControl extends L.Control {
  private cleanup: (() => void) | null = null;

  constructor(private readonly tw: TimeWindow) {
    super({ position: 'topleft' });
  }

  override onAdd(): HTMLElement {
    const box = L.DomUtil.create('form', 'na-control na-window');
    box.innerHTML = `
      <label for="na-window">Time window</label>
      <select id="na-window" name="preset">
        ${(Object.keys(PRESET_LABELS) as Preset[]).map((p) => `<option value="${p}">${PRESET_LABELS[p]}</option>`).join('')}
      </select>
      <fieldset class="na-window__custom" hidden>
        <legend>Custom range</legend>
        <label>From <input type="datetime-local" name="from" required></label>
        <label>To <input type="datetime-local" name="to" required></label>
        <button type="submit">Apply</button>
        <p class="na-window__error" role="alert"></p>
      </fieldset>`;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const select = box.querySelector('select')!;
    const custom = box.querySelector('fieldset')!;
    const from = box.querySelector<HTMLInputElement>('input[name=from]')!;
    const to = box.querySelector<HTMLInputElement>('input[name=to]')!;
    const error = box.querySelector<HTMLElement>('.na-window__error')!;
    select.value = this.tw.currentPreset;
    const onSelect = (): void => {
      const p = select.value as Preset;
      custom.hidden = p !== 'custom';
      if (p === 'custom') {
        const w = this.tw.current;
        from.value = toLocalInput(w.from);
        to.value = toLocalInput(w.to);
        from.focus();
      } else {
        this.tw.setPreset(p);
      }
    };
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      const f = new Date(from.value).getTime();
      const t = new Date(to.value).getTime();
      if (!Number.isFinite(f) || !Number.isFinite(t) || !(f < t)) {
        error.textContent = 'The start of the range must be a date before its end.';
        return;
      }
      error.textContent = '';
      this.tw.setCustom({ from: f, to: t });
    };
    select.addEventListener('change', onSelect);
    box.addEventListener('submit', onSubmit);
    this.cleanup = () => {
      select.removeEventListener('change', onSelect);
      box.removeEventListener('submit', onSubmit);
    };
    return box;
  }

  override onRemove(): void {
    this.cleanup?.();
    this.cleanup = null;
  }
}
