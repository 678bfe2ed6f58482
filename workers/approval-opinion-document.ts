// PRO-3: the 立项审批意见 as a Word document (DOCX, rendered with `docx`), from a fixed template filled with the
// project's data: number, addressee Unit, project, category, the amounts in 元 and 万元, Finance's opinion, the
// Bureau's opinion and the date in Chinese. Fonts are named for CJK (宋体 / 仿宋) so Word and WPS render the text.
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { DateTime } from 'luxon';
import { ZONE } from '../src/domain/index.ts';

export interface ApprovalOpinionContent {
  number: string;
  bureauName: string;
  unitName: string;
  projectName: string;
  projectId: string;
  categoryName: string;
  totalInvestment: number | null;
  reviewedAmount: number | null;
  approvedAmount: number | null;
  financeOpinion: string;
  bureauOpinion: string;
  issuedAt: string;
}

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..31 in Chinese numerals as dates write them: 十, 十一, 二十, 二十七, 三十一. */
function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** The date of an official document in Chinese, in Beijing time: 二〇二六年十一月二十七日. */
export function chineseDate(iso: string): string {
  const d = DateTime.fromISO(iso, { zone: ZONE });
  const year = String(d.year)
    .split('')
    .map((c) => DIGITS[Number(c)])
    .join('');
  return `${year}年${chineseNumber(d.month)}月${chineseNumber(d.day)}日`;
}

/** An amount as the opinion states it: 1,060,000 元（106 万元）. */
export function yuanAndWan(amount: number | null): string {
  if (amount === null) return '—';
  const wan = (amount / 10_000).toFixed(4).replace(/\.?0+$/, '');
  return `${amount.toLocaleString('en-US')} 元（${wan} 万元）`;
}

const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };
const TITLE_FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };

function line(text: string, options: { bold?: boolean; align?: 'center' | 'right'; indent?: boolean } = {}) {
  return new Paragraph({
    alignment:
      options.align === 'center'
        ? AlignmentType.CENTER
        : options.align === 'right'
          ? AlignmentType.RIGHT
          : AlignmentType.LEFT,
    indent: options.indent ? { firstLine: 640 } : undefined,
    spacing: { after: 120 },
    children: [new TextRun({ text, bold: options.bold, font: BODY_FONT, size: 32 })],
  });
}

export async function renderApprovalOpinion(c: ApprovalOpinionContent): Promise<Buffer> {
  const doc = new Document({
    creator: c.bureauName,
    title: `${c.number} 立项审批意见`,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: c.bureauName, bold: true, font: TITLE_FONT, size: 44 })],
          }),
          line(c.number, { align: 'center' }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 240, after: 240 },
            children: [
              new TextRun({
                text: `关于${c.projectName}的立项审批意见`,
                bold: true,
                font: TITLE_FONT,
                size: 36,
              }),
            ],
          }),
          line(`${c.unitName}：`),
          line(
            `你单位报送的${c.projectName}（项目编号 ${c.projectId}，${c.categoryName}项目）立项申请，经初核、造价审核、专家论证和市财政局资金审核，现综合市财政局意见，提出立项审批意见如下。`,
            { indent: true },
          ),
          line(`一、申报总投资：${yuanAndWan(c.totalInvestment)}。`, { indent: true }),
          line(`二、造价审定金额：${yuanAndWan(c.reviewedAmount)}。`, { indent: true }),
          line(`三、核定资金安排：${yuanAndWan(c.approvedAmount)}。`, { indent: true }),
          line(`四、市财政局资金审核意见：${c.financeOpinion}`, { indent: true }),
          line(`五、本局意见：${c.bureauOpinion}`, { indent: true }),
          line('请按程序报市政府申请资金（PRO-4）。', { indent: true }),
          line(c.bureauName, { align: 'right' }),
          line(chineseDate(c.issuedAt), { align: 'right' }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
