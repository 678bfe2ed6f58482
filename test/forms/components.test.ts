// The server's check accepts every component form-js 1.x can produce, not only those processes/ uses today: a form
// with each of them (nested groups with paths, dotted keys, a dynamic list inside a group, checklist and taglist,
// options from `valuesKey` and `valuesExpression`, an expression field, a disabled field, conditional hiding that
// reads `this` in a repetition, display-only table, iframe, html, image, separator, spacer) is submitted by form-js
// itself and must pass; what form-js would not send is refused with the field named. Component reference:
// https://docs.camunda.io/docs/components/modeler/forms/form-element-library/forms-element-library/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, formIssues, formVariableNames } from '../../src/app/forms/submission.ts';
import { type FormJs, launchFormJs } from './form-js.ts';

type Data = Record<string, unknown>;

const SCHEMA = {
  id: 'every-component',
  type: 'default',
  schemaVersion: 18,
  components: [
    { id: 'Text_1', type: 'text', text: '# {{projectName}}' },
    { id: 'Html_1', type: 'html', content: '<p>说明</p>' },
    { id: 'Image_1', type: 'image', source: '=logo' },
    { id: 'Separator_1', type: 'separator' },
    { id: 'Spacer_1', type: 'spacer', height: 30 },
    { id: 'Iframe_1', type: 'iframe', url: 'https://example.org', label: '外部页面' },
    {
      id: 'Table_1',
      type: 'table',
      label: '服务内容',
      dataSource: '=serviceLines',
      columns: [{ label: '金额', key: 'amount' }],
    },
    {
      id: 'F_name',
      type: 'textfield',
      key: 'applicant.name',
      label: '姓名',
      validate: { required: true, maxLength: 20 },
    },
    {
      id: 'F_count',
      type: 'number',
      key: 'count',
      label: '数量',
      decimalDigits: 0,
      validate: { min: 1, max: 10 },
    },
    { id: 'F_agree', type: 'checkbox', key: 'agree', label: '同意' },
    { id: 'F_day', type: 'datetime', key: 'day', subtype: 'date', dateLabel: '日期' },
    {
      id: 'F_when',
      type: 'datetime',
      key: 'when',
      subtype: 'datetime',
      dateLabel: '日期',
      timeLabel: '时间',
      timeSerializingFormat: 'utc_offset',
      use24h: true,
    },
    { id: 'F_time', type: 'datetime', key: 'at', subtype: 'time', timeLabel: '时间', use24h: true },
    {
      id: 'F_channels',
      type: 'checklist',
      key: 'channels',
      label: '渠道',
      values: [
        { label: '网站', value: 'web' },
        { label: '应用', value: 'app' },
      ],
    },
    { id: 'F_tags', type: 'taglist', key: 'tags', label: '标签', valuesKey: 'tagOptions' },
    { id: 'F_level', type: 'radio', key: 'level', label: '级别', valuesExpression: '=levels' },
    { id: 'F_total', type: 'expression', key: 'total', expression: '=count * 100', computeOn: 'change' },
    { id: 'F_locked', type: 'textfield', key: 'locked', label: '只读', disabled: true },
    {
      id: 'F_why',
      type: 'textarea',
      key: 'why',
      label: '原因',
      validate: { required: true },
      conditional: { hide: '=agree = true' },
    },
    {
      id: 'G_outer',
      type: 'group',
      label: '外层',
      path: 'outer',
      components: [
        { id: 'F_a', type: 'textfield', key: 'a', label: 'A', validate: { required: true } },
        {
          id: 'G_plain',
          type: 'group',
          label: '无路径分组',
          components: [
            { id: 'F_b', type: 'select', key: 'b', label: 'B', values: [{ label: '一', value: 'one' }] },
          ],
        },
        {
          id: 'L_items',
          type: 'dynamiclist',
          path: 'items',
          label: '条目',
          isRepeating: true,
          allowAddRemove: true,
          defaultRepetitions: 1,
          components: [
            {
              id: 'F_kind',
              type: 'select',
              key: 'kind',
              label: '类型',
              values: [
                { label: '甲', value: 'x' },
                { label: '乙', value: 'y' },
              ],
              validate: { required: true },
            },
            {
              id: 'F_note',
              type: 'textfield',
              key: 'note',
              label: '备注',
              validate: { required: true },
              conditional: { hide: '=this.kind != "y"' },
            },
          ],
        },
      ],
    },
  ],
};

const CONTEXT: Data = {
  projectName: '测试项目',
  tagOptions: [
    { label: '紧急', value: 'urgent' },
    { label: '常规', value: 'normal' },
  ],
  levels: [
    { label: '高', value: 'high' },
    { label: '低', value: 'low' },
  ],
  serviceLines: [{ amount: 1 }],
};

const FILLED: Data = {
  applicant: { name: '张三' },
  count: 3,
  agree: true,
  day: '2027-01-15',
  when: '2027-01-15T10:00+08:00',
  at: '10:00',
  channels: ['web', 'app'],
  tags: ['urgent'],
  level: 'high',
  locked: '不可改',
  why: '被隐藏',
  outer: {
    a: '甲',
    b: 'one',
    items: [
      { kind: 'x', note: '隐藏' },
      { kind: 'y', note: '需要说明' },
    ],
  },
};

const form = { formId: SCHEMA.id, formKey: 'k', version: 1, schema: SCHEMA as Data };
const refused = (submitted: Data) => formIssues(form, submitted, CONTEXT).issues.map((i) => i.field);

describe('the server accepts every component form-js produces, and nothing else', () => {
  let formJs: FormJs;
  let submitted: Data;
  beforeAll(async () => {
    formJs = await launchFormJs();
    const result = await formJs.submit(SCHEMA, { ...CONTEXT, ...FILLED });
    expect(result.errors).toEqual({});
    submitted = result.data;
  }, 60_000);
  afterAll(async () => {
    await formJs?.close();
  });

  it('form-js submits keys, paths and repetitions; hidden and disabled fields are left out', () => {
    expect(submitted).toMatchObject({
      applicant: { name: '张三' },
      count: 3,
      total: 300,
      channels: ['web', 'app'],
      tags: ['urgent'],
      level: 'high',
      outer: { a: '甲', b: 'one', items: [{ kind: 'x' }, { kind: 'y', note: '需要说明' }] },
    });
    expect(submitted).not.toHaveProperty('why');
    expect(submitted).not.toHaveProperty('locked');
    expect((submitted.outer as { items: Data[] }).items[0]).not.toHaveProperty('note');
  });

  it('the server accepts it as it is', () => {
    expect(formIssues(form, submitted, CONTEXT).issues).toEqual([]);
  });

  it('refuses what form-js would not send, naming the field', () => {
    const outer = submitted.outer as { items: Data[] };
    expect(refused({ ...submitted, projectName: '改名' })).toEqual(['variables.projectName']);
    expect(refused({ ...submitted, locked: '改了' })).toEqual(['variables.locked']);
    expect(refused({ ...submitted, total: 1 })).toEqual(['variables.total']);
    expect(refused({ ...submitted, count: 2.5, total: 250 })).toEqual(['variables.count']);
    expect(refused({ ...submitted, count: 11, total: 1100 })).toEqual(['variables.count']);
    expect(refused({ ...submitted, channels: ['fax'] })).toEqual(['variables.channels']);
    expect(refused({ ...submitted, tags: 'urgent' })).toEqual(['variables.tags']);
    expect(refused({ ...submitted, level: 'medium' })).toEqual(['variables.level']);
    expect(refused({ ...submitted, day: '15/01/2027' })).toEqual(['variables.day']);
    expect(refused({ ...submitted, applicant: { name: '张三', id: '1' } })).toEqual([
      'variables.applicant.id',
    ]);
    expect(refused({ ...submitted, applicant: {} })).toEqual(['variables.applicant.name']);
    expect(refused({ ...submitted, agree: false })).toEqual(['variables.why']);
    expect(refused({ ...submitted, outer: { ...outer, items: [{ kind: 'y' }] } })).toEqual([
      'variables.outer.items[0].note',
    ]);
    expect(refused({ ...submitted, outer: { ...outer, items: [{ kind: 'z' }] } })).toEqual([
      'variables.outer.items[0].kind',
    ]);
    expect(refused({ ...submitted, outer: { ...outer, items: {} } })).toEqual(['variables.outer.items']);
  });

  it('the task page gets the paths and the names the form reads; requiredFields lists nested ones', () => {
    const names = formVariableNames(SCHEMA);
    for (const n of ['projectName', 'serviceLines', 'tagOptions', 'levels', 'outer', 'applicant', 'count'])
      expect(names.has(n), n).toBe(true);
    expect(
      formFields(SCHEMA)
        .filter((f) => f.required)
        .map((f) => f.path),
    ).toEqual(['applicant.name', 'why', 'outer.a', 'outer.items[].kind', 'outer.items[].note']);
  });
});
