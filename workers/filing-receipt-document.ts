// PRO-3, IM-8, IM-9: the 备案回执 of a change, delay or termination filing as a Word document (DOCX, rendered with
// `docx` like the 立项审批意见): the filing's number, the Unit it answers, the project, what was filed (the Unit's
// content and the registering party's opinion), the issuing party and the date in Chinese. Fonts are named for CJK.
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { DateTime } from 'luxon';
import { ZONE } from '../src/domain/index.ts';
import { chineseDate } from './approval-opinion-document.ts';

export interface FilingReceiptContent {
  number: string;
  /** 重大变更备案, 延期交付备案, 终止合同备案. */
  filingName: string;
  issuerName: string;
  unitName: string;
  projectName: string;
  projectId: string;
  /** What was filed and registered, in order: 变更内容, 变更理由, 登记意见, … */
  items: Array<{ label: string; value: string }>;
  issuedAt: string;
}

const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };
const TITLE_FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };
const ITEM_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A filed value as the receipt states it: an ISO date-time in Beijing time (2027年9月30日 18:00), else the text. */
export function receiptValue(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.trim() === '') return '—';
  const text = v.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const d = DateTime.fromISO(text, { zone: ZONE });
    if (d.isValid) return text.length === 10 ? d.toFormat('yyyy年M月d日') : d.toFormat('yyyy年M月d日 HH:mm');
  }
  return text;
}

function line(text: string, options: { align?: 'center' | 'right'; indent?: boolean } = {}) {
  return new Paragraph({
    alignment:
      options.align === 'center'
        ? AlignmentType.CENTER
        : options.align === 'right'
          ? AlignmentType.RIGHT
          : AlignmentType.LEFT,
    indent: options.indent ? { firstLine: 640 } : undefined,
    spacing: { after: 120 },
    children: [new TextRun({ text, font: BODY_FONT, size: 32 })],
  });
}

function title(text: string, size: number) {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 240 },
    children: [new TextRun({ text, bold: true, font: TITLE_FONT, size })],
  });
}

export async function renderFilingReceipt(c: FilingReceiptContent): Promise<Buffer> {
  const doc = new Document({
    creator: c.issuerName,
    title: `${c.number} ${c.filingName}回执`,
    sections: [
      {
        children: [
          title(c.issuerName, 44),
          line(c.number, { align: 'center' }),
          title(`${c.filingName}回执`, 36),
          line(`${c.unitName}：`),
          line(
            `你单位报送的${c.projectName}（项目编号 ${c.projectId}）${c.filingName}已登记备案，备案编号 ${c.number}。备案内容如下。`,
            { indent: true },
          ),
          ...c.items.map((item, i) =>
            line(`${ITEM_NUMBERS[i] ?? i + 1}、${item.label}：${item.value}`, { indent: true }),
          ),
          line('特此回执。', { indent: true }),
          line(c.issuerName, { align: 'right' }),
          line(chineseDate(c.issuedAt), { align: 'right' }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
