/**
 * The reviewer's report as one self-contained HTML page: a pure function of ReportData.
 * Every value is escaped here, whatever its source (campaign files are pull-request input).
 *
 * Nothing is fetched: inline CSS, inline SVG, system fonts, no scripts. The page's own
 * Content-Security-Policy forbids every load, and the email's html body is shown in an
 * `<iframe sandbox srcdoc>` that inherits that policy and carries the same policy again, so a
 * remote image in the email is blocked (shown as missing) rather than loaded: opening the
 * report tells no tracker that someone looked. Links stay links, but the sandbox does not
 * follow them; the report lists them instead.
 */
import type { ApprovalState } from './approval.js';
import type { AudienceSummary } from './audience.js';
import type { ReportData, ReportFinding } from './build.js';
import type { SampleMessage } from './message.js';

const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
// What a mail client's reading pane starts from; the email's own styles come later and win.
const CLIENT_DEFAULTS = '<style>body{margin:16px 20px;font:15px/1.5 Arial,Helvetica,sans-serif;color:#222}</style>';
const EMAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[character] ?? ''};`);
}

const e = escapeHtml;
const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
const number = (count: number) => count.toLocaleString('en-GB');
const orDash = (value: string | undefined) => (value === undefined || value === '' ? '<span class="muted">—</span>' : e(value));

export function renderReportHtml(data: ReportData): string {
  const title = `Review: ${data.campaign.name ?? data.campaign.id ?? data.campaign.file}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(PAGE_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="campaign-lint ${e(data.toolVersion)}">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(data)}
${campaignSection(data)}
${audienceSection(data.audience)}
${findingsSection(data)}
${approvalSection(data.approval)}
${messageSection(data)}
<footer>
<p>Written by campaign-lint ${e(data.toolVersion)} on ${e(data.generatedAt)} from <code>${e(data.campaign.file)}</code>.
This page loads nothing from the network. It contains no recipient's address or personal value: counts only, and the sample
recipient's values masked (<code>j***@example.com</code>, <code>J***</code>).</p>
</footer>
</main>
</body>
</html>
`;
}

function header(data: ReportData): string {
  const { campaign, approval } = data;
  const ready = data.errorCount === 0;
  const approvals =
    approval === undefined
      ? 'unknown'
      : approval.mode === 'github'
        ? 'from pull-request reviews'
        : `${approval.validCount} of ${approval.required} valid`;
  const approvalsOk = approval !== undefined && (approval.mode === 'github' ? ready : approval.satisfied);
  return `<header>
<p class="kicker">Reviewer's report · campaign-lint</p>
<h1>${orDash(campaign.name ?? campaign.id)}</h1>
<p class="sub">${campaign.id !== undefined ? `<code>${e(campaign.id)}</code> · ` : ''}<code>${e(campaign.file)}</code></p>
<div class="verdict ${ready ? 'ok' : 'bad'}" role="status">
<strong>${ready ? 'No errors' : `${plural(data.errorCount, 'error')}: not ready to send`}</strong>
<span>${plural(data.warningCount, 'warning')}</span>
<span>Approvals: ${e(approvals)}</span>
</div>
<div class="cards">
${card('Errors', number(data.errorCount), data.errorCount > 0 ? 'bad' : 'ok')}
${card('Warnings', number(data.warningCount), data.warningCount > 0 ? 'warn' : 'ok')}
${card('Recipients', data.audience ? number(data.audience.rows) : '—', '')}
${card('Approvals', approval?.mode === 'github' ? 'PR' : approval ? `${approval.validCount}/${approval.required}` : '—', approvalsOk ? 'ok' : 'bad')}
</div>
${approval?.digest !== undefined ? `<p class="digest">Content digest <code>${e(approval.digest)}</code><br><span class="muted">An approval is valid only for this digest: any change to the campaign file, recipient list, templates or suppression lists changes it.</span></p>` : ''}
</header>`;
}

function card(label: string, value: string, tone: string): string {
  return `<div class="card ${tone}"><div class="value">${e(value)}</div><div class="label">${e(label)}</div></div>`;
}

function row(label: string, value: string): string {
  return `<tr><th scope="row">${e(label)}</th><td>${value}</td></tr>`;
}

/**
 * `to` as what it is: a template with merge fields sends one message per recipient; a literal
 * address (no merge field) sends every message to that one fixed address.
 */
function toRow(to: string | undefined): string {
  if (to === undefined) return row('To', orDash(undefined));
  if (to.includes('{{')) return row('To (per recipient)', `<code>${e(to)}</code> <span class="muted">one message per recipient</span>`);
  return row('To (fixed)', `<code>${e(to)}</code> <span class="tag bad">no merge field: every message goes to this one fixed address, not to each recipient</span>`);
}

/** What a recipient header beyond From, To and Reply-To does, said next to it. */
function recipientHeaderNote(name: string): string {
  const key = name.toLowerCase();
  if (key === 'cc') return ' <span class="tag bad">every recipient sees these addresses</span>';
  if (key === 'sender') return '';
  return ' <span class="tag bad">carries addresses</span>';
}

function campaignSection(data: ReportData): string {
  const c = data.campaign;
  const sensitivity = c.sensitivity === 'special-category' ? `<span class="tag bad">special-category</span> privacy warnings are errors; at least 2 approvals` : e(c.sensitivity);
  return `<section id="campaign">
<h2><span class="n">1</span> The campaign</h2>
<table class="facts">
${row('Name', orDash(c.name))}
${row('Id', c.id === undefined ? orDash(undefined) : `<code>${e(c.id)}</code>`)}
${row('Category', c.category === undefined ? orDash(undefined) : `${e(c.category)}${c.category === 'marketing' ? ' <span class="muted">(consent, unsubscribe and postal address required)</span>' : ''}`)}
${row('Sensitivity', sensitivity)}
${row('Prepared by', orDash(c.author))}
${row('Sender (From)', orDash(c.from))}
${row('Reply-To', orDash(c.replyTo))}
${toRow(c.to)}
${row('Subject (template)', c.subject === undefined ? orDash(undefined) : `<code>${e(c.subject)}</code>`)}
${c.bcc.length > 0 ? row('Bcc (archive)', e(c.bcc.join(', '))) : ''}
${row('Send time', c.sendAt === undefined ? '<span class="muted">not scheduled in the file</span>' : e(c.sendAt))}
</table>
</section>`;
}

interface Bar {
  label: string;
  value: number;
  tone: 'base' | 'ref' | 'bad' | 'warn';
}

function barChart(bars: readonly Bar[]): string {
  const width = 640;
  const labelWidth = 190;
  const valueWidth = 80;
  const barHeight = 22;
  const gap = 10;
  const plot = width - labelWidth - valueWidth;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * (barHeight + gap) - gap;
  const items = bars
    .map((bar, at) => {
      const y = at * (barHeight + gap);
      const length = bar.value === 0 ? 0 : Math.max(3, Math.round((bar.value / max) * plot));
      const tone = bar.value === 0 && (bar.tone === 'bad' || bar.tone === 'warn') ? 'zero' : bar.tone;
      return `<g transform="translate(0 ${y})"><text class="l" x="${labelWidth - 10}" y="${barHeight / 2}" dy="0.35em" text-anchor="end">${e(bar.label)}</text><rect class="track" x="${labelWidth}" y="0" width="${plot}" height="${barHeight}" rx="3"/>${length > 0 ? `<rect class="b ${tone}" x="${labelWidth}" y="0" width="${length}" height="${barHeight}" rx="3"/>` : ''}<text class="v" x="${labelWidth + plot + 10}" y="${barHeight / 2}" dy="0.35em">${e(number(bar.value))}</text></g>`;
    })
    .join('');
  const summary = bars.map((bar) => `${bar.label}: ${bar.value}`).join(', ');
  return `<svg class="chart" role="img" aria-label="${e(summary)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${e(summary)}</title>${items}</svg>`;
}

function audienceSection(audience: AudienceSummary | undefined): string {
  if (audience === undefined) return `<section id="audience"><h2><span class="n">2</span> The audience</h2><p class="muted">The campaign file cannot be parsed, so its recipient list is unknown.</p></section>`;
  const { consent } = audience;
  const expected = audience.expectedCount;
  let countNote: string;
  if (expected === undefined) countNote = '<span class="muted">no <code>expected_count</code> in the campaign</span>';
  else {
    const delta = audience.rows - expected;
    const share = expected === 0 ? 0 : Math.abs(delta) / expected;
    countNote = delta === 0 ? `<span class="tag ok">as expected</span>` : `<span class="tag ${share > 0.1 ? 'bad' : 'warn'}">${delta > 0 ? '+' : ''}${number(delta)} against ${number(expected)} expected</span>`;
  }
  const bars: Bar[] = [{ label: 'Recipients (rows)', value: audience.rows, tone: 'base' }];
  if (expected !== undefined) bars.push({ label: 'Expected count', value: expected, tone: 'ref' });
  bars.push(
    { label: 'Invalid addresses', value: audience.invalid, tone: 'bad' },
    { label: 'Duplicates', value: audience.duplicate, tone: 'bad' },
    { label: 'Suppressed', value: audience.suppressed, tone: 'bad' },
  );
  if (consent.present) bars.push({ label: 'Without consent', value: consent.missing, tone: 'bad' });
  let consentText: string;
  if (consent.column === undefined) consentText = 'no <code>consent_column</code> declared';
  else if (!consent.present) consentText = `column <code>${e(consent.column)}</code> is declared but not in the list`;
  else consentText = `<code>${e(consent.column)}</code>: ${number(consent.given)} yes, ${number(consent.missing)} missing or no`;

  const columns = audience.columns.map((column) => {
    const uses = column.uses.map((use) => {
      switch (use) {
        case 'email':
          return '<span class="tag">address</span>';
        case 'consent':
          return '<span class="tag">consent</span>';
        case 'template':
          return `<span class="tag ok">used by ${e(column.templates.join(', '))}</span>`;
        case 'allowed':
          return '<span class="tag">allowed_columns</span>';
      }
    });
    return `<tr><td><code>${e(column.name)}</code></td><td>${uses.length > 0 ? uses.join(' ') : '<span class="tag warn">not used</span>'}</td></tr>`;
  });
  const lists = audience.suppressionLists.map(
    (list) => `<li><code>${e(list.path)}</code> <span class="muted">(${list.source === 'campaign' ? 'campaign <code>suppress</code>' : 'config <code>suppression</code>'})</span>: ${list.problem === undefined ? plural(list.entries, 'address', 'addresses') : `<span class="tag bad">${e(list.problem)}</span>`}</li>`,
  );
  return `<section id="audience">
<h2><span class="n">2</span> The audience</h2>
<p>Recipient list <code>${orDash(audience.file)}</code>, address column <code>${e(audience.emailColumn)}</code>.</p>
${audience.unavailable !== undefined ? `<p class="alert">${e(capitalise(audience.unavailable))}.</p>` : ''}
<div class="figures">
${figure('Recipients', audience.rows, '')}
${figure('Expected', expected, '')}
${figure('Invalid', audience.invalid, audience.invalid > 0 ? 'bad' : 'ok')}
${figure('Duplicates', audience.duplicate, audience.duplicate > 0 ? 'bad' : 'ok')}
${figure('Suppressed', audience.suppressed, audience.suppressed > 0 ? 'bad' : 'ok')}
${consent.present ? figure('Without consent', consent.missing, consent.missing > 0 ? 'bad' : 'ok') : ''}
</div>
<p>Row count: ${countNote}</p>
${barChart(bars)}
<table class="facts">
${row('Consent', consentText)}
${row('Suppression lists', lists.length > 0 ? `<ul class="plain">${lists.join('')}</ul>` : '<span class="muted">none</span>')}
${audience.csvProblems > 0 ? row('File problems', `<span class="tag bad">${plural(audience.csvProblems, 'structural problem')}</span> <span class="muted">(see the findings)</span>`) : ''}
</table>
<h3>Columns</h3>
<p class="muted">Every column is personal data sent to the mail system; a column no template uses should not be there.</p>
<table class="list"><thead><tr><th>Column</th><th>Used for</th></tr></thead><tbody>
${columns.join('\n') || '<tr><td colspan="2" class="muted">no header row</td></tr>'}
</tbody></table>
</section>`;
}

function figure(label: string, value: number | undefined, tone: string): string {
  return `<div class="figure ${tone}"><div class="value">${value === undefined ? '—' : e(number(value))}</div><div class="label">${e(label)}</div></div>`;
}

function findingRows(findings: readonly ReportFinding[]): string {
  return findings
    .map((finding) => `<tr><td class="place"><code>${e(finding.place)}</code></td><td class="rule">${finding.ruleId === null ? '<span class="muted">(fatal)</span>' : `<code>${e(finding.ruleId)}</code>`}</td><td>${e(finding.message)}</td></tr>`)
    .join('\n');
}

function findingsSection(data: ReportData): string {
  const groups = (['error', 'warning'] as const).map((severity) => {
    const list = data.findings.filter((finding) => finding.severity === severity);
    if (list.length === 0) return '';
    return `<h3 class="${severity === 'error' ? 'bad' : 'warn'}">${severity === 'error' ? 'Errors' : 'Warnings'} (${number(list.length)})</h3>
<table class="list findings"><thead><tr><th>Place</th><th>Rule</th><th>Finding</th></tr></thead><tbody>
${findingRows(list)}
</tbody></table>`;
  });
  return `<section id="findings">
<h2><span class="n">3</span> Findings</h2>
${data.findings.length === 0 ? '<p class="good">No findings: every rule passed.</p>' : groups.join('\n')}
</section>`;
}

function approvalSection(approval: ApprovalState | undefined): string {
  if (approval === undefined) return `<section id="approval"><h2><span class="n">4</span> Approval</h2><p class="muted">The campaign file cannot be parsed, so nothing can be approved.</p></section>`;
  const modeText = { record: 'record (approvals written in the campaign file)', signature: 'signature (SSH-signed approvals in the campaign file)', github: 'github (pull-request reviews)' }[approval.mode];
  const digest = approval.digest !== undefined ? `<code>${e(approval.digest)}</code>` : `<span class="tag bad">cannot be computed</span> ${e(approval.digestProblem ?? '')}`;
  const entries = approval.entries.map((entry) => {
    const status = entry.verdict === 'valid' ? '<span class="tag ok">counts</span>' : `<span class="tag bad">does not count</span> ${e(entry.reason)}`;
    const which = entry.current ? '<span class="tag ok">current</span>' : '<span class="tag warn">older content</span>';
    return `<tr><td>${orDash(entry.by)}</td><td>${orDash(entry.at)}</td><td><code title="${e(entry.digest)}">${e(shortDigest(entry.digest))}</code> ${entry.digest === '' ? '' : which}</td><td>${status}</td></tr>`;
  });
  const table =
    approval.mode === 'github'
      ? ''
      : entries.length === 0
        ? '<p class="muted">No approvals are recorded in the campaign file yet.</p>'
        : `<table class="list"><thead><tr><th>Approved by</th><th>When</th><th>Digest approved</th><th>Status</th></tr></thead><tbody>
${entries.join('\n')}
</tbody></table>`;
  const missing = approval.mode === 'github' ? '' : approval.satisfied ? '<p class="good">Enough valid approvals for this exact content.</p>' : `<p class="alert"><strong>Missing:</strong> ${e(approval.summary)}</p>`;
  return `<section id="approval">
<h2><span class="n">4</span> Approval</h2>
<table class="facts">
${row('Mode', e(approval.modeText === `${approval.mode} mode` ? modeText : `${modeText}; ${approval.modeText}`))}
${row('Required', `${plural(approval.required, 'approval')} by people other than the author`)}
${row('Approvers', approval.approvers.length === 0 ? 'anyone but the author' : e(approval.approvers.join('; ')))}
${row('Current digest', digest)}
${approval.digestFileProblems.length > 0 ? row('Digest files', e(approval.digestFileProblems.join('; '))) : ''}
</table>
${approval.mode === 'github' ? `<p>${e(approval.summary)}</p>` : ''}
${table}
${missing}
<p class="howto">Reviewed this page and agree? ${approval.mode === 'github' ? 'Approve the pull request on GitHub.' : `Run <code>${e(approval.approveCommand)}</code>: it records your approval for the digest above.`}</p>
</section>`;
}

function shortDigest(digest: string): string {
  return digest.startsWith('sha256:') && digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

function messageSection(data: ReportData): string {
  const heading = '<h2><span class="n">5</span> The message</h2>';
  if (!data.sample.ok) return `<section id="message">${heading}<p class="alert">No sample message: ${e(data.sample.reason)}.</p></section>`;
  const m = data.sample.message;
  const who = `record ${number(m.row.index)} of the list (CSV line ${number(m.row.line)})${m.row.sendable ? '' : ', the first valid address, although it would be held back (duplicate, suppressed or without consent)'}`;
  const extra = m.headers.map(([name, value]) => `<tr><th scope="row">${e(name)}</th><td>${e(value)}</td></tr>`).join('\n');
  return `<section id="message">
${heading}
<p>What the sample recipient, ${e(who)}, would receive. Their personal values are masked.</p>
<div class="inbox">
<table class="mailhead">
${row('From', e(m.from))}
${row('To', e(m.to))}
${m.recipientHeaders.map(([name, value]) => row(name, `${e(value)}${recipientHeaderNote(name)}`)).join('\n')}
${m.bcc !== undefined ? row('Bcc', `${e(m.bcc)} <span class="muted">blind copy: not in the message, no recipient sees it</span>`) : ''}
${m.replyTo !== undefined ? row('Reply-To', e(m.replyTo)) : ''}
${row('Subject', `<strong>${e(m.subject)}</strong>`)}
${m.date !== undefined ? row('Date', e(m.date)) : ''}
</table>
${extra ? `<details open><summary>Other headers</summary><table class="mailhead small">${extra}</table></details>` : ''}
</div>
${m.html !== undefined ? htmlBody(m) : ''}
${m.links.length > 0 ? `<h3>Links in the html version</h3><p class="muted">The report does not follow links; these are their targets.</p><table class="list"><thead><tr><th>Text</th><th>Target</th></tr></thead><tbody>${m.links.map((link) => `<tr><td>${orDash(link.text)}</td><td><code>${e(link.href)}</code></td></tr>`).join('')}</tbody></table>` : ''}
${m.text !== undefined ? `<h3>Plain-text version</h3><pre class="textbody">${e(m.text)}</pre>` : ''}
</section>`;
}

function htmlBody(message: SampleMessage): string {
  const html = message.html ?? '';
  const document = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${e(EMAIL_POLICY)}">${CLIENT_DEFAULTS}${html.replace(/^\s*<!doctype[^>]*>/i, '')}`;
  const remote =
    message.remoteResources > 0
      ? `<p class="muted">The html version refers to ${plural(message.remoteResources, 'remote resource')} (images, stylesheets); a mail client may load ${message.remoteResources === 1 ? 'it' : 'them'}, this report does not.</p>`
      : '';
  return `<h3>HTML version</h3>
${remote}
<iframe class="htmlbody" title="HTML version of the message" sandbox="" referrerpolicy="no-referrer" loading="eager" srcdoc="${e(document)}"></iframe>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const STYLE = `
:root{--ink:#1d2433;--muted:#5f6b7a;--line:#dde2ea;--soft:#f5f7fa;--ok:#1a7f4b;--ok-bg:#e6f4ec;--bad:#b42318;--bad-bg:#fdecea;--warn:#9a6700;--warn-bg:#fff4d6;--accent:#2f5bd3}
*{box-sizing:border-box}
html{background:#eef1f5}
body{margin:0;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:24px auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:32px 40px}
h1{font-size:28px;margin:2px 0 4px;line-height:1.2}
h2{font-size:19px;margin:0 0 14px;display:flex;align-items:center;gap:10px}
h3{font-size:15px;margin:22px 0 8px}
h3.bad{color:var(--bad)}h3.warn{color:var(--warn)}
.n{display:inline-flex;width:26px;height:26px;border-radius:50%;background:var(--ink);color:#fff;font-size:13px;align-items:center;justify-content:center}
section{border-top:1px solid var(--line);padding:26px 0 8px;break-inside:avoid-page}
code{font:13px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;background:var(--soft);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted)}
.sub{margin:0 0 16px;color:var(--muted)}
.muted{color:var(--muted)}
.verdict{display:flex;flex-wrap:wrap;gap:8px 22px;align-items:center;padding:12px 16px;border-radius:8px;margin:8px 0 16px;border:1px solid}
.verdict.ok{background:var(--ok-bg);border-color:#b7e0c8;color:var(--ok)}
.verdict.bad{background:var(--bad-bg);border-color:#f5c2bd;color:var(--bad)}
.verdict strong{font-size:16px}.verdict span{color:var(--ink)}
.cards,.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;margin:12px 0}
.card,.figure{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:#fff}
.card .value,.figure .value{font-size:26px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .label,.figure .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.card.ok .value,.figure.ok .value{color:var(--ok)}.card.bad .value,.figure.bad .value{color:var(--bad)}.card.warn .value{color:var(--warn)}
.card.bad,.figure.bad{border-color:#f5c2bd;background:var(--bad-bg)}
.digest{font-size:13px;margin:6px 0 0}
table{border-collapse:collapse;width:100%}
table.facts th{width:190px;text-align:left;font-weight:600;color:var(--muted);vertical-align:top;padding:6px 12px 6px 0}
table.facts td{padding:6px 0;vertical-align:top}
table.facts tr+tr{border-top:1px solid var(--soft)}
table.list{margin:6px 0 12px;font-size:14px}
table.list th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 10px}
table.list td{border-bottom:1px solid var(--line);padding:7px 10px;vertical-align:top}
table.findings td.place{white-space:nowrap;width:1%}table.findings td.rule{white-space:nowrap;width:1%}
.tag{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:999px;background:var(--soft);color:var(--ink);border:1px solid var(--line);white-space:nowrap}
.tag.ok{background:var(--ok-bg);color:var(--ok);border-color:#b7e0c8}
.tag.bad{background:var(--bad-bg);color:var(--bad);border-color:#f5c2bd;white-space:normal}
.tag.warn{background:var(--warn-bg);color:var(--warn);border-color:#f1d58a}
.alert{background:var(--bad-bg);border-left:4px solid var(--bad);padding:10px 14px;border-radius:4px}
.good{background:var(--ok-bg);border-left:4px solid var(--ok);padding:10px 14px;border-radius:4px}
.howto{background:var(--soft);padding:10px 14px;border-radius:4px}
ul.plain{margin:0;padding:0;list-style:none}
svg.chart{display:block;max-width:100%;height:auto;margin:10px 0 18px}
svg.chart text{font:13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
svg.chart text.v{font-weight:600;font-variant-numeric:tabular-nums}
svg.chart .track{fill:var(--soft)}
svg.chart .b.base{fill:var(--accent)}svg.chart .b.ref{fill:#9aa6b8}svg.chart .b.bad{fill:var(--bad)}svg.chart .b.warn{fill:#d4a72c}
.inbox{border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:var(--soft);margin:10px 0}
table.mailhead th{width:110px;text-align:left;color:var(--muted);font-weight:600;padding:3px 10px 3px 0;vertical-align:top}
table.mailhead td{padding:3px 0;overflow-wrap:anywhere}
table.mailhead.small{font-size:13px}table.mailhead.small th{width:190px;font-weight:500}
details summary{cursor:pointer;color:var(--muted);font-size:13px;margin-top:6px}
iframe.htmlbody{display:block;width:100%;height:380px;border:1px solid var(--line);border-radius:8px;background:#fff;resize:vertical}
pre.textbody{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;font:13px/1.5 ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace}
footer{border-top:1px solid var(--line);margin-top:20px;padding-top:12px;font-size:12px;color:var(--muted)}
@media (max-width:700px){main{padding:20px;margin:0;border-radius:0}table.findings td.place{white-space:normal}}
@media print{
html{background:#fff}body{font-size:11pt}
main{margin:0;padding:0;border:0;max-width:none}
section{break-inside:auto}h2,h3{break-after:avoid}tr,.figure,.card{break-inside:avoid}
.verdict,.card,.figure,.tag,.alert,.good,svg.chart *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
iframe.htmlbody{height:700px;resize:none}
details>summary{display:none}
@page{margin:16mm}
}
`;
