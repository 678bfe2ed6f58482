// Uploading a project document (issue 16): the limit and the accepted types are stated beside the input, a file
// over the limit is refused before anything is sent, and the upload shows its progress.
import { ApiError, query, upload } from '../api.js';
import { clearErrors, errorSummary, field, h, showErrors, toast } from '../dom.js';

const mb = (bytes) => `${Math.floor(bytes / 1024 / 1024)} MB`;

/** The kinds of material offered: never an issued one, and only `kinds` where the person is limited to those. */
function kindSelect(vocab, kinds) {
  return h(
    'select',
    { name: 'kind' },
    // the 立项审批意见 and the 备案回执 are issued by process steps, never uploaded (the API refuses those kinds)
    Object.entries(vocab.documentKinds)
      .filter(([k]) => k !== 'approval-opinion' && k !== 'filing-receipt')
      .filter(([k]) => kinds === null || kinds.includes(k))
      .map(([k, label]) => h('option', { value: k }, label)),
  );
}

/** `kinds`: the only kinds this person may upload (a third party: its 测评报告), or null for every uploadable kind. */
export function uploadForm(project, vocab, kinds = null) {
  const limits = vocab.upload;
  const kind = kindSelect(vocab, kinds);
  const file = h('input', {
    type: 'file',
    name: 'file',
    required: true,
    accept: limits.extensions.join(','),
  });
  const hint = `单个文件不超过 ${mb(limits.maxBytes)}；可上传 ${limits.typeNames.join('、')}。`;
  const bar = h('progress', { max: 100, value: 0, 'aria-label': '上传进度' });
  const percent = h('span', { class: 'muted' });
  const progress = h('div', { class: 'upload-progress', hidden: true }, bar, ' ', percent);
  const submit = h('button', { type: 'submit' }, '上传');
  const form = h(
    'form',
    { class: 'upload', novalidate: true },
    errorSummary(),
    h(
      'div',
      { class: 'grid two' },
      field('材料类型', kind, { name: 'kind' }),
      field('文件', file, { name: 'file', hint }),
    ),
    progress,
    h('div', { class: 'actions' }, submit),
  );
  const tooLarge = () => {
    const chosen = file.files?.[0];
    if (!chosen || chosen.size <= limits.maxBytes) return false;
    showErrors(form, {
      detail: `文件“${chosen.name}”大小 ${(chosen.size / 1024 / 1024).toFixed(1)} MB，超过 ${mb(limits.maxBytes)} 上限，未上传`,
      errors: [{ field: 'file', reason: `文件超过 ${mb(limits.maxBytes)} 上限，未上传` }],
    });
    return true;
  };
  file.addEventListener('change', () => {
    clearErrors(form);
    tooLarge();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!file.files?.length)
      return showErrors(form, { detail: '请选择文件', errors: [{ field: 'file', reason: '请选择文件' }] });
    if (tooLarge()) return;
    const data = new FormData();
    data.append('file', file.files[0]);
    submit.disabled = true;
    progress.hidden = false;
    bar.value = 0;
    percent.textContent = '正在上传 0%';
    try {
      await upload(
        `/projects/${encodeURIComponent(project.id)}/documents${query({ kind: kind.value })}`,
        data,
        (loaded, total) => {
          const p = Math.round((loaded / total) * 100);
          bar.value = p;
          percent.textContent = `正在上传 ${p}%`;
        },
      );
      percent.textContent = '已上传';
      toast('材料已上传');
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      progress.hidden = true;
      showErrors(form, e instanceof ApiError ? e : { detail: String(e) });
      submit.disabled = false;
    }
  });
  return form;
}
