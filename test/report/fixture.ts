import { tempTree } from '../helpers/campaign.js';

/** Known figures: 8 rows, 2 invalid, 1 duplicate, 2 suppressed (one per kind of list), 1 without consent. */
export const FIGURES = { rows: 8, expected: 10, invalid: 2, duplicate: 1, suppressed: 2, consentGiven: 7, consentMissing: 1 };

/** Every address and distinctive value of the lists: none may appear in a report. */
export const PLANTED = [
  'Zebulon.Marsh@Example.com',
  'zebulon.marsh@example.com',
  'gone@example.org',
  'left@example.net',
  'noconsent@example.org',
  'ok2@example.com',
  'never.sent@example.org',
  'Zebulon',
  'Nora',
  'Olive',
  'tok-secret-9981',
  'tok-z2',
  'Gloucester',
  'Quixworth',
];

const RECIPIENTS = `email,first_name,consent,token,city
not-an-address,Ann,yes,tok-a1,Leeds
Zebulon.Marsh@Example.com,Zebulon,yes,tok-secret-9981,Gloucester
zebulon.marsh@example.com,Zeb,yes,tok-z2,York
gone@example.org,Gone,yes,tok-g,Bath
left@example.net,Left,yes,tok-l,Hull
noconsent@example.org,Nora,no,tok-n,Ely
,Blank,yes,tok-b,Wells
ok2@example.com,Olive,yes,tok-o,Quixworth
`;

const BODY_HTML = `<!doctype html>
<html><head>
<link rel="stylesheet" href="https://fonts.example.test/css?family=Lobster">
<style>body { background: url("https://cdn.example.test/bg.png") }</style>
</head><body>
<p>Dear {{first_name}},</p>
<img src="http://tracker.example.test/open.gif?t={{token}}" alt="">
<script>document.title = "ran"</script>
<p>Write to <a href="mailto:{{email}}">yourself</a> or
<a href="https://mail.example.com/unsubscribe?u={{token}}&amp;e={{email}}">Unsubscribe</a>.</p>
<p>Example Ltd, 1 Main Street, London N1 1AA</p>
</body></html>
`;

const BODY_TEXT = `Dear {{first_name}},
Unsubscribe: https://mail.example.com/unsubscribe?u={{token}}
Example Ltd, 1 Main Street, London N1 1AA
`;

export function campaignYaml(name = 'Spring <script>alert("x")</script> & offers'): string {
  return `version: 1
id: spring-offers
name: '${name.replace(/'/g, "''")}'
category: marketing
author: alice@example.com
from:
  name: Example Shop
  address: news@mail.example.com
reply_to: support@mail.example.com
to: "{{first_name}} <{{email}}>"
subject: "{{first_name}}, spring offers (ref ok2@example.com)"
headers:
  List-Unsubscribe: "<https://mail.example.com/unsubscribe?u={{token}}>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
body:
  html: body.html
  text: body.txt
recipients:
  file: recipients.csv
  consent_column: consent
  expected_count: 10
suppress: [local-suppress.csv]
send_at: "2027-03-01T08:30:00+01:00"
approvals:
  - by: bob@example.com
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
    at: "2027-02-20T10:00:00Z"
  - by: alice@example.com
    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
`;
}

export const POLICY = `organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
  archive_addresses: [archive@example.com]
approval:
  required: 2
  verify: record
suppression: ["suppression/*.csv"]
`;

/** A repository with the config at its root and the campaign in campaigns/spring/. */
export function reportProject(campaign = campaignYaml()): string {
  return tempTree({
    'campaign-lint.config.yaml': POLICY,
    'suppression/global.csv': 'email\nGONE@example.org\nnever.sent@example.org\n',
    'campaigns/spring/campaign.yaml': campaign,
    'campaigns/spring/recipients.csv': RECIPIENTS,
    'campaigns/spring/local-suppress.csv': 'email\nleft@example.net\n',
    'campaigns/spring/body.html': BODY_HTML,
    'campaigns/spring/body.txt': BODY_TEXT,
  });
}

export const CAMPAIGN = 'campaigns/spring/campaign.yaml';
