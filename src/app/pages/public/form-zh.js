// form-js 1.x in Chinese (issue 16). form-js has no translation hook: its own words ("Select", "Search",
// "Add new", "Remove list item 1", the table's "1 of 3", flatpickr's month and weekday names) are written into the
// DOM as it renders, so they are replaced as they appear; its validation messages are translated where the
// validator returns them. Its date fields parse typed text with the browser's locale and roll impossible days
// over (2028/13/45 became 2029-02-14, 03/20/2027 became 2027-01-01): a typed date is read here first — the
// accepted forms become the day they name, anything else is refused with a message and never reaches form-js.
import { DATE_HINT, parseTypedDate } from './dates.js';
import { displayView } from './form-display.js';

const MESSAGES = [
  [/^Field is required\.$/, () => '此项为必填项。'],
  [/^Value is not a number\.$/, () => '请输入数字。'],
  [/^Value is expected to be an integer\.$/, () => '请输入整数。'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (m) => `最多保留 ${m[1]} 位小数。`],
  [/^Field must have minimum value of (.+)\.$/, (m) => `不能小于 ${m[1]}。`],
  [/^Field must have maximum value of (.+)\.$/, (m) => `不能大于 ${m[1]}。`],
  [/^Field must have minimum length of (.+)\.$/, (m) => `长度不能少于 ${m[1]} 个字符。`],
  [/^Field must have maximum length of (.+)\.$/, (m) => `长度不能超过 ${m[1]} 个字符。`],
  [/^Field must match pattern (.+)\.$/, () => '格式不正确。'],
  [/^Field must be a valid email\.$/, () => '请输入有效的电子邮件地址。'],
  [
    /^Field must be a valid +international phone number.*$/,
    () => '请输入有效的国际电话号码（例如 +8676612345678）。',
  ],
  [
    /^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/,
    (m) => `请输入有效值，最接近的是 ${m[1]} 或 ${m[2]}。`,
  ],
];

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = { Sun: '日', Mon: '一', Tue: '二', Wed: '三', Thu: '四', Fri: '五', Sat: '六' };

/** form-js's and flatpickr's English, as text, placeholder or accessible name → Chinese. */
const WORDS = [
  [/^Select$/, () => '请选择'],
  [/^Search$/, () => '搜索'],
  [/^Add new$/, () => '新增一项'],
  [/^Remove list item (\d+)$/, (m) => `删除第 ${m[1]} 项`],
  [/^Expand all \((\d+)\)$/, (m) => `展开全部（${m[1]} 项）`],
  [/^Collapse$/, () => '收起'],
  [/^No results$/, () => '没有匹配的选项'],
  [/^All values selected$/, () => '已全部选择'],
  [/^Nothing to show\.$/, () => '暂无数据。'],
  [/^Previous page$/, () => '上一页'],
  [/^Next page$/, () => '下一页'],
  [/^Click to sort by (.+) (a|de)scending$/, (m) => `按${m[1]}${m[2] === 'a' ? '升序' : '降序'}排列`],
  [/^Click to remove sorting$/, () => '取消排序'],
  [/^Increment$/, () => '增加'],
  [/^Decrement$/, () => '减少'],
  [/^hh:mm( --)?$/, () => '时:分'],
  [
    /^y{2,4}[/.-]m{1,2}[/.-]d{1,2}$|^m{1,2}[/.-]d{1,2}[/.-]y{2,4}$|^d{1,2}[/.-]m{1,2}[/.-]y{2,4}$/,
    () => '如 2027年3月20日',
  ],
  [new RegExp(`^(${MONTHS.join('|')})$`), (m) => `${MONTHS.indexOf(m[1]) + 1}月`],
  [
    new RegExp(`^(${MONTHS.join('|')}) (\\d{1,2}), (\\d{4})$`),
    (m) => `${m[3]}年${MONTHS.indexOf(m[1]) + 1}月${m[2]}日`,
  ],
  [/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat)$/, (m) => WEEKDAYS[m[1]]],
];

/** One string in Chinese when it is one of form-js's or flatpickr's; otherwise unchanged. */
export function translate(text) {
  for (const [re, zh] of [...MESSAGES, ...WORDS]) {
    const m = re.exec(text);
    if (m) return zh(m);
  }
  return text;
}

function translateTree(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (!/[A-Za-z]/.test(text)) continue;
    // The table's page label is three text nodes: "1", " of ", "3".
    if (text === ' of ') node.data = ' / ';
    else {
      const trimmed = text.trim();
      const zh = translate(trimmed);
      if (zh !== trimmed) node.data = text.replace(trimmed, zh);
    }
  }
  for (const el of root.querySelectorAll('[placeholder], [aria-label], [title]')) {
    for (const attr of ['placeholder', 'aria-label', 'title']) {
      const value = el.getAttribute(attr);
      if (value && /[A-Za-z]/.test(value)) {
        const zh = translate(value);
        if (zh !== value) el.setAttribute(attr, zh);
      }
    }
  }
}

/** Keeps `container` in Chinese while form-js and its date picker draw into it. */
export function keepChinese(container) {
  translateTree(container);
  const observer = new MutationObserver(() => translateTree(container));
  observer.observe(container, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['placeholder', 'aria-label', 'title'],
  });
  return observer;
}

function localiseValidator(form) {
  const validator = form.get('validator');
  for (const method of ['validateField', 'validateFieldInstance']) {
    const original = validator[method].bind(validator);
    validator[method] = (...args) => original(...args).map(translate);
  }
}

/** The day as form-js's date picker expects it typed: the browser locale's numeric date, as it formats its own. */
function pickerText({ year, month, day }) {
  return new Intl.DateTimeFormat('default').format(new Date(year, month - 1, day));
}

function dateLabel(input) {
  return (
    input
      .closest('.fjs-form-field')
      ?.querySelector('label')
      ?.textContent?.replace(/\*\s*$/, '')
      .trim() || '日期'
  );
}

/**
 * Reads a typed date before form-js's date picker does (on Enter and on leaving the field, the two moments it
 * parses): an accepted form is rewritten as the picker's own, anything else is stopped with a message beside the
 * form. `invalid()` lists the fields whose text is refused, so the page does not submit a date it did not read.
 */
export function guardDates(container, report) {
  const refused = new Map();
  const check = (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest('.fjs-datepicker')) return;
    if (event.type === 'keydown' && event.key !== 'Enter') return;
    const text = input.value.trim();
    const day = text === '' ? null : parseTypedDate(text);
    if (text === '' || day) {
      refused.delete(input);
      input.removeAttribute('aria-invalid');
      if (day) input.value = pickerText(day);
    } else {
      refused.set(input, `${dateLabel(input)}：“${text}”不是有效日期，${DATE_HINT}。`);
      input.setAttribute('aria-invalid', 'true');
      event.stopImmediatePropagation();
      event.preventDefault();
      // flatpickr (it keeps its instance on the input) also reads the text when a click lands outside its open
      // calendar: closed, it reads nothing until the person types again.
      input._flatpickr?.close();
    }
    report([...refused.values()]);
  };
  container.addEventListener('keydown', check, true);
  container.addEventListener('blur', check, true);
  return { invalid: () => [...refused.values()] };
}

/**
 * A task's Camunda form drawn with form-js as the task page shows it: display parts in plain Chinese
 * (form-display.js), form-js's words in Chinese, typed dates read as people write them.
 */
export async function renderTaskForm(FormViewer, container, schema, variables, vocab, options = {}) {
  const view = displayView(schema, variables, vocab);
  keepChinese(container);
  // debounce off: form-js reads a text field's DOM value 300 ms after the last keystroke, and any render of the
  // form in between (another field chosen at once, the form settling just after it shows) puts the old value back
  // into the field first, so what was typed is lost without a word. Our forms are small: every keystroke is cheap.
  const form = new FormViewer.Form({
    container,
    debounce: false,
    properties: { readOnly: Boolean(options.readOnly) },
  });
  localiseValidator(form);
  const dates = guardDates(container, options.onDateProblems ?? (() => {}));
  await form.importSchema(view.schema, view.data);
  return { form, dates };
}
