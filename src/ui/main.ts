import { kumoGet, scope, setScope, STORAGE_KEY } from './api.ts';
import { controlsView } from './controls.ts';
import { h, replace } from './dom.ts';
import { dynamodbView } from './dynamodb.ts';
import { eventsView } from './events.ts';
import { lambdaView } from './lambda.ts';
import { overviewView, type Resources } from './overview.ts';
import { Router, type View } from './router.ts';
import { s3View } from './s3.ts';
import { secretsView } from './secrets.ts';
import { sqsView } from './sqs.ts';
import { ssmView } from './ssm.ts';

const VIEWS: [string, string, View][] = [
  ['', 'Overview', overviewView],
  ['s3', 'S3', s3View],
  ['sqs', 'SQS', sqsView],
  ['dynamodb', 'DynamoDB', dynamodbView],
  ['lambda', 'Lambda', lambdaView],
  ['secrets', 'Secrets', secretsView],
  ['ssm', 'SSM', ssmView],
  ['events', 'SNS & Events', eventsView],
  ['controls', 'Controls', controlsView],
];

const REFRESH_MS = 2000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function start(): Promise<void> {
  const nav = $('nav');
  const links = VIEWS.map(([id, label]) => h('a', { href: `#/${id}`, 'data-view': id }, label));
  replace(nav, links);
  const router = new Router(Object.fromEntries(VIEWS.map(([id, , view]) => [id, view])), $('main'), (view) => {
    for (const a of links) {
      if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  });

  const resources = await kumoGet<Resources>('/kumo/ui/api/resources');
  const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<typeof scope>;
  scope.account = saved.account ?? resources.defaultAccount;
  scope.region = saved.region ?? resources.defaultRegion;
  const account = $<HTMLInputElement>('account');
  const region = $<HTMLInputElement>('region');
  account.value = scope.account;
  region.value = scope.region;
  const regions = new Set([resources.defaultRegion, ...resources.scopes.map((s) => s.region), 'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1']);
  replace($('regions'), [...regions].map((r) => h('option', { value: r })));
  $('scope').addEventListener('submit', (e) => e.preventDefault());
  $('scope').addEventListener('change', (e) => {
    if (e.target === account || e.target === region) {
      if (!account.checkValidity() || !region.checkValidity()) return;
      setScope(account.value, region.value);
      void router.show();
    }
  });
  window.addEventListener('kumo-scope', () => {
    account.value = scope.account;
    region.value = scope.region;
  });

  const live = $<HTMLInputElement>('live');
  const clock = $('clock');
  const tick = async () => {
    if (!live.checked || document.hidden) return;
    try {
      const c = await kumoGet<{ now: string; frozen: boolean }>('/kumo/clock');
      clock.textContent = `${c.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${c.frozen ? ' (frozen)' : ''}`;
      await router.refresh();
    } catch {
      clock.textContent = 'kumo unreachable';
    }
  };
  setInterval(() => void tick(), REFRESH_MS);
  document.addEventListener('visibilitychange', () => void tick());
  $('skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  await router.show();
  void tick();
}

void start().catch((err: unknown) => {
  replace($('main'), h('div', { class: 'error', role: 'alert' }, `kumo is not reachable: ${String(err)}`));
});
