/**
 * Find a device by id: a labelled text input with suggestions. Enter zooms to the device and opens
 * its panel — the keyboard route to a single device among thousands of markers.
 */
import L from '../leaflet-global.js';

export class FindDeviceControl extends L.Control {
  private list: HTMLDataListElement | null = null;
  private cleanup: (() => void) | null = null;

  constructor(private readonly onFind: (id: string) => boolean) {
    super({ position: 'topleft' });
  }

  override onAdd(): HTMLElement {
    const form = L.DomUtil.create('form', 'na-control na-find');
    form.setAttribute('role', 'search');
    form.innerHTML = `
      <label for="na-find">Find device</label>
      <input id="na-find" name="id" list="na-find-ids" autocomplete="off" placeholder="device id">
      <datalist id="na-find-ids"></datalist>
      <button type="submit">Go</button>
      <p class="na-find__error" role="alert"></p>`;
    L.DomEvent.disableClickPropagation(form);
    const input = form.querySelector('input')!;
    const error = form.querySelector<HTMLElement>('.na-find__error')!;
    this.list = form.querySelector('datalist');
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      const id = input.value.trim();
      error.textContent = id && !this.onFind(id) ? `No device "${id}" on the map.` : '';
    };
    form.addEventListener('submit', onSubmit);
    this.cleanup = () => form.removeEventListener('submit', onSubmit);
    return form;
  }

  override onRemove(): void {
    this.cleanup?.();
    this.cleanup = null;
    this.list = null;
  }

  /** suggestions; capped, because a datalist of 10 000 options makes typing slow */
  setIds(ids: readonly string[]): void {
    if (!this.list) return;
    this.list.replaceChildren(...ids.slice(0, 500).map((id) => Object.assign(document.createElement('option'), { value: id })));
  }
}
