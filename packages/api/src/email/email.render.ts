import { absoluteLink } from './email.settings';

/** The parts of a plain notification email; every string is text (escaped for the HTML part). */
export type EmailContent = {
  heading: string;
  paragraphs: readonly string[];
  /** An app path, shown as a button. */
  link?: { path: string; label: string } | null;
  /** A quiet line at the bottom (why the reader gets this). */
  footer?: string | null;
};

/** The text and HTML bodies of an email, from text only: nothing a caller passes becomes markup. */
export function renderEmail(content: EmailContent): { text: string; html: string } {
  const url = content.link ? absoluteLink(content.link.path) : null;
  const text = [
    content.heading,
    '',
    ...content.paragraphs,
    ...(url && content.link ? ['', `${content.link.label}: ${url}`] : []),
    ...(content.footer ? ['', '--', content.footer] : []),
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f1f1f;line-height:1.6">
<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(content.heading)}</h2>
${content.paragraphs.map((paragraph) => `<p style="margin:0 0 8px;white-space:pre-wrap">${escapeHtml(paragraph)}</p>`).join('\n')}
${url && content.link ? `<p style="margin:16px 0"><a href="${escapeHtml(url)}" style="background:#1677ff;color:#fff;padding:6px 14px;border-radius:6px;text-decoration:none">${escapeHtml(content.link.label)}</a></p>` : ''}
${content.footer ? `<p style="margin-top:24px;color:#8c8c8c;font-size:12px">${escapeHtml(content.footer)}</p>` : ''}
</body></html>`;
  return { text, html };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
