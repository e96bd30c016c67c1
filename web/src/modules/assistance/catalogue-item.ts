// The catalogue item a technical-assistance request may name
// (catalogue_item_id, docs/assistance.md): an item of the requested
// agency's technical-assistance catalogue held on this node
// (GET /api/v1/training/catalogue?owner=, docs/training.md). Pure logic of
// the new-request form, without imports so that the unit tests load it as
// it is (tests/unit/assistance-catalogue-item.test.mjs): which items the
// form offers, when it asks the node for them, which choice survives a
// change of the form, and what the request sends.

// The type of request that may name a catalogue item.
export const CATALOGUE_TYPE = 'technical_assistance';

// What the form needs of a catalogue item (training/common.ts CatalogueItem).
export interface OfferedItem {
  id: string;
  owner: string;
  domain: string;
  title: string;
  active: boolean;
}

// True when `code` has the form of an agency code the node accepts as a
// catalogue owner ("FR-DGPN": two capitals, a hyphen, then capitals or
// digits; 5 to 19 characters), so that the form does not ask the node
// about a code still being typed.
export function isAgencyCode(code: string): boolean {
  return /^[A-Z]{2}-[A-Z0-9]{2,16}$/.test(code);
}

// True when the form should list the catalogue of `partner`: a request for
// technical assistance to an agency whose code is complete.
export function wantsCatalogue(type: string, partner: string): boolean {
  return type === CATALOGUE_TYPE && isAgencyCode(partner.trim());
}

// The items `agency` offers, as the form lists them: its own (never
// another agency's copy), active ones only, sorted by title in `locale`
// (then by id, so that the order is stable).
export function offeredItems<T extends OfferedItem>(items: readonly T[], agency: string, locale = 'en'): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return items
    .filter((i) => i.owner === agency && i.active)
    .sort((a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// The choice that stands once the items of the partner are known: `chosen`
// when it is one of them, '' otherwise (an item of another agency, an
// inactive one, or one no longer held here is never sent).
export function keptChoice(chosen: string, offered: readonly Pick<OfferedItem, 'id'>[]): string {
  return chosen && offered.some((i) => i.id === chosen) ? chosen : '';
}

// The form's values after `field` is set to `value`: a change of the
// requested agency or of the type clears the catalogue item, so that the
// request never names an item of another agency or names one for another
// type of request.
export function withChange<V extends { requested_agency: string; type: string; catalogue_item_id: string }>(
  values: V,
  field: keyof V & string,
  value: string,
): V {
  const next: V = { ...values, [field]: value };
  if ((field === 'requested_agency' || field === 'type') && values[field] !== value) {
    return { ...next, catalogue_item_id: '' };
  }
  return next;
}

// The catalogue_item_id the request sends: the chosen item for a request
// for technical assistance, nothing (undefined) otherwise.
export function catalogueMember(type: string, chosen: string): string | undefined {
  return type === CATALOGUE_TYPE && chosen.trim() ? chosen.trim() : undefined;
}
