// What a person has typed, kept when the session expires mid-form (issue 16): the fields of the page are saved in
// this tab's sessionStorage, keyed by the account and the page, and put back when the same account signs in again
// and returns to that page. Passwords and file inputs are never kept; signing out deletes every kept draft.
// (Only the page's own fields: a form-js task form re-renders its own fields and is not restored this way.)

const PREFIX = 'yunfu-draft:';

const keyOf = (account, hash) => `${PREFIX}${account.tenantId}/${account.id}:${hash}`;

const fieldsOf = (root) =>
  [...root.querySelectorAll('input, select, textarea')].filter(
    (el) => !['password', 'file', 'submit', 'button', 'hidden'].includes(el.type) && nameOf(el) !== null,
  );

/** A field's stable name: its `name`, else the `data-field` the page gave it (ids are generated per render). */
function nameOf(el) {
  // a radio group's name may be generated per render: its wrapper's field name and the option's value are stable
  const group = el.type === 'radio' ? el.closest('[data-field-wrapper]') : null;
  if (group) return `r:${group.dataset.fieldWrapper}:${el.value}`;
  if (el.name) return `n:${el.name}`;
  return el.dataset.field ? `f:${el.dataset.field}` : null;
}

/** Saves the fields of `root` for `account` at `hash`; whether anything typed was kept. */
export function keepDraft(root, account, hash) {
  const values = [];
  const seen = new Map();
  for (const el of fieldsOf(root)) {
    const name = nameOf(el);
    const nth = seen.get(name) ?? 0;
    seen.set(name, nth + 1);
    const value = el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value;
    values.push([name, nth, value]);
  }
  if (!values.some(([, , v]) => v !== '' && v !== false)) return false;
  try {
    sessionStorage.setItem(keyOf(account, hash), JSON.stringify(values));
    return true;
  } catch {
    return false; // storage full or disabled: nothing more can be done
  }
}

/** Puts a kept draft back into `root` (and forgets it); whether there was one. */
export function restoreDraft(root, account, hash) {
  const key = keyOf(account, hash);
  const raw = sessionStorage.getItem(key);
  if (!raw) return false;
  sessionStorage.removeItem(key);
  const byName = new Map();
  for (const el of fieldsOf(root)) {
    const name = nameOf(el);
    byName.set(name, [...(byName.get(name) ?? []), el]);
  }
  for (const [name, nth, value] of JSON.parse(raw)) {
    const el = byName.get(name)?.[nth];
    if (!el) continue;
    if (typeof value === 'boolean') el.checked = value;
    else el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return true;
}

/** Forgets every kept draft (signing out). */
export function forgetDrafts() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}
