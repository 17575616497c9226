import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DescribeConnectionCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { httpEndpoint } from '../sns/setup.ts';
import { eventsHarness } from './setup.ts';

const h = eventsHarness();

test('API destinations call the endpoint with the connection auth (basic, API key, OAuth client credentials)', async () => {
  const ep = await httpEndpoint();
  const tokenServer = await httpEndpoint(() => 200, JSON.stringify({ access_token: 'tok', token_type: 'Bearer' }));
  try {
    const basic = await h.eb.send(new CreateConnectionCommand({
      Name: h.name('basic'), AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } },
    }));
    const described = await h.eb.send(new DescribeConnectionCommand({ Name: 'basic-1' }));
    assert.deepEqual(described.AuthParameters!.BasicAuthParameters, { Username: 'u' }, 'secrets are never returned');
    const key = await h.eb.send(new CreateConnectionCommand({
      Name: h.name('key'), AuthorizationType: 'API_KEY', AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret' },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-extra', Value: 'e' }] },
      },
    }));
    const rule = h.name();
    await h.eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['hook'] }) }));
    const dest1 = await h.eb.send(new CreateApiDestinationCommand({ Name: h.name('d'), ConnectionArn: basic.ConnectionArn, InvocationEndpoint: `${ep.url}/basic`, HttpMethod: 'POST' }));
    const dest2 = await h.eb.send(new CreateApiDestinationCommand({ Name: h.name('d'), ConnectionArn: key.ConnectionArn, InvocationEndpoint: `${ep.url}/key/*`, HttpMethod: 'PUT' }));
    await h.eb.send(new PutTargetsCommand({
      Rule: rule,
      Targets: [
        { Id: 'basic', Arn: dest1.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/r', InputPath: '$.detail' },
        { Id: 'key', Arn: dest2.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/r', HttpParameters: { PathParameterValues: ['p1'], QueryStringParameters: { q: '1' } } },
      ],
    }));
    await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'hook', DetailType: 'x', Detail: '{"a":1}' }] }));
    const got = await ep.next(2);
    const b = got.find((r) => r.url === '/hook/basic')!;
    assert.equal(b.method, 'POST');
    assert.equal(b.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.equal(b.body, '{"a":1}');
    const k = got.find((r) => r.url.startsWith('/hook/key/'))!;
    assert.equal(k.url, '/hook/key/p1?q=1');
    assert.equal(k.method, 'PUT');
    assert.equal(k.headers['x-api-key'], 'secret');
    assert.equal(k.headers['x-extra'], 'e');

    // OAuth: the token endpoint answers a token; the call carries it as a bearer token.
    const oauth = await h.eb.send(new CreateConnectionCommand({
      Name: h.name('oauth'), AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: {
        OAuthParameters: { AuthorizationEndpoint: tokenServer.url, HttpMethod: 'POST', ClientParameters: { ClientID: 'id', ClientSecret: 'sec' } },
      },
    }));
    const dest3 = await h.eb.send(new CreateApiDestinationCommand({ Name: h.name('d'), ConnectionArn: oauth.ConnectionArn, InvocationEndpoint: `${ep.url}/oauth`, HttpMethod: 'POST' }));
    const rule2 = h.name();
    await h.eb.send(new PutRuleCommand({ Name: rule2, EventPattern: JSON.stringify({ source: ['oauth'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: rule2, Targets: [{ Id: 'o', Arn: dest3.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/r' }] }));
    await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'oauth', DetailType: 'x', Detail: '{}' }] }));
    const [tokenReq] = await tokenServer.next(1);
    assert.equal(tokenReq!.headers.authorization, `Basic ${Buffer.from('id:sec').toString('base64')}`);
    assert.match(tokenReq!.body, /grant_type=client_credentials/);
    const [, , call] = await ep.next(3);
    assert.equal(call!.url, '/hook/oauth');
    assert.equal(call!.headers.authorization, 'Bearer tok');
  } finally {
    await ep.close();
    await tokenServer.close();
  }
});
