// SPDX-License-Identifier: MIT
// autotask.js — drives the public npm client @apigrate/autotask-restapi
// against autotask-sim (started by autotask.sh on the address given as the
// first argument) with the simulator's default credentials. Every check
// states what the real API documents; a client that cannot talk to the
// simulator is a simulator bug.
'use strict';
const assert = require('assert/strict');
const {
  AutotaskRestApi,
  AutotaskApiError,
  FilterOperators: op,
} = require('@apigrate/autotask-restapi');

const host = process.argv[2];
const base = `http://${host}/atservicesrest/`;
const USER = 'api@demo.example', SECRET = 'demosecret', CODE = 'DEMOCODE';
const TODAY = '2026-11-15';
// The generated world: company i is 1000+i with contract 700000+4i and its
// LastPass contract service 800000+4i.
const COMPANY = 1000, CONTRACT = 700000, LINE = 800000;

let checks = 0;
function ok(what) {
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

// All pages of a POST query: each nextPageUrl is POSTed with the query's
// own body (Autotask answers a GET there with 405), through the client's
// request path (its credentials, its zone URL).
async function allPages(at, entity, search) {
  let page = await at[entity].query(search);
  const items = [...page.items];
  let pages = 1;
  const prefix = `${at.zoneInfo.url}v1.0`;
  while (page.pageDetails.nextPageUrl) {
    const next = page.pageDetails.nextPageUrl;
    assert.ok(next.toLowerCase().startsWith(prefix.toLowerCase()),
              `nextPageUrl ${next} is not on the zone ${prefix}`);
    page = await at._post(next.slice(prefix.length), search);
    assert.equal(page.pageDetails.count, page.items.length);
    items.push(...page.items);
    pages++;
    assert.ok(pages < 50, 'paging does not end');
  }
  return {items, pages};
}

function ascendingUnique(items, what) {
  for (let i = 1; i < items.length; i++)
    assert.ok(items[i].id > items[i - 1].id,
              `${what}: id ${items[i].id} after ${items[i - 1].id}`);
}

async function main() {
  const at = new AutotaskRestApi(USER, SECRET, CODE, {base_url: base});

  // Zone lookup: the client asks base_url's zoneInformation, then uses the
  // zone's url for everything else.
  const one = await at.Companies.get(COMPANY);
  assert.ok(at.zoneInfo, 'no zone information');
  assert.equal(at.zoneInfo.url, base);
  assert.equal(typeof at.zoneInfo.zoneName, 'string');
  assert.equal(one.item.id, COMPANY);
  assert.equal(typeof one.item.companyName, 'string');
  ok('zone lookup, then GET Companies/{id} on the zone');
  assert.equal(await at.Companies.get(987654321).then((r) => r.item), null);
  ok('an unknown id is {"item":null}');

  // A filtered query over two pages, against its count.
  const everyone = {filter: [{op: op.gte, field: 'id', value: 0}],
                    includeFields: ['id', 'companyName', 'isActive']};
  const companies = await allPages(at, 'Companies', everyone);
  assert.equal(companies.pages, 2);
  assert.equal(companies.items.length, 661);
  ascendingUnique(companies.items, 'Companies');
  for (const c of companies.items)
    assert.deepEqual(Object.keys(c).sort(),
                     ['companyName', 'id', 'isActive', 'userDefinedFields']);
  const count = await at.Companies.count({filter: everyone.filter});
  assert.equal(count.queryCount, companies.items.length);
  ok('Companies: two pages by POSTed nextPageUrl, IncludeFields, count');

  // The real API refuses a GET of a POST query's next page.
  const first = await at.Companies.query(everyone);
  const prefix = `${at.zoneInfo.url}v1.0`;
  await assert.rejects(
      at._get(first.pageDetails.nextPageUrl.slice(prefix.length)),
      (e) => e instanceof AutotaskApiError && e.status === 405);
  ok('a GET of a POST query\'s nextPageUrl: 405');

  // Operators and groups the sync uses, field names in any case.
  const lines = await allPages(at, 'ContractServices', {
    filter: [{op: op.in, field: 'ServiceID', value: [30001, 30002]}],
  });
  assert.ok(lines.items.length >= 600);
  for (const l of lines.items) assert.ok([30001, 30002].includes(l.serviceID));
  const linesCount = await at.ContractServices.count({
    filter: [{op: op.in, field: 'serviceID', value: [30001, 30002]}],
  });
  assert.equal(linesCount.queryCount, lines.items.length);
  ok('ContractServices: serviceID in [...], paged, counted');

  const recurring = await at.Contracts.query({
    filter: [{op: 'and', items: [
      {op: op.eq, field: 'contractType', value: 7},
      {op: op.eq, field: 'status', value: 1},
      {op: 'or', items: [
        {op: op.eq, field: 'companyID', value: COMPANY},
        {op: op.eq, field: 'companyID', value: COMPANY + 1},
      ]},
    ]}],
  });
  assert.ok(recurring.items.length >= 2);
  for (const k of recurring.items) {
    assert.ok([COMPANY, COMPANY + 1].includes(k.companyID));
    assert.equal(k.contractType, 7);
  }
  const named = await at.Companies.query({
    filter: [{op: op.beginsWith, field: 'companyname',
              value: one.item.companyName.slice(0, 4).toLowerCase()}],
  });
  assert.ok(named.items.some((c) => c.id === COMPANY));
  ok('Contracts: and/or groups; Companies: beginsWith, any case');

  // Today's units row, then an adjustment through the client's child
  // endpoint (POST Contracts/{id}/ServiceAdjustments).
  const covering = {
    filter: [
      {op: op.eq, field: 'contractServiceID', value: LINE},
      {op: op.lte, field: 'startDate', value: TODAY},
      {op: op.gte, field: 'endDate', value: TODAY},
    ],
  };
  const before = await at.ContractServiceUnits.query(covering);
  assert.equal(before.items.length, 1);
  const row = before.items[0];
  assert.equal(row.contractID, CONTRACT);
  const day = row.startDate.slice(0, 10);
  const made = await at.ContractServiceAdjustments.create(CONTRACT, {
    contractID: CONTRACT,
    serviceID: row.serviceID,
    contractServiceID: LINE,
    effectiveDate: `${day}T12:00:00`,
    unitChange: 2,
    adjustedUnitPrice: null,
  });
  assert.ok(Number.isInteger(made.itemId) && made.itemId > 0,
            `no itemId: ${JSON.stringify(made)}`);
  const after = await at.ContractServiceUnits.query(covering);
  assert.equal(after.items.length, 1);
  assert.equal(after.items[0].units, row.units + 2);
  assert.equal(after.items[0].startDate.slice(0, 10), day);
  ok('ContractServiceAdjustments: created, today\'s units moved by the delta');

  // Adjustments can only be created.
  await assert.rejects(at.ContractServiceAdjustments.get(made.itemId),
                       (e) => e instanceof AutotaskApiError && e.status === 405);
  ok('ContractServiceAdjustments cannot be read back (405)');

  // A wrong integration code: HTTP 500 {"errors":["IntegrationCode is
  // invalid."]}, as the client's documentation shows the real API answer.
  const wrong = new AutotaskRestApi(USER, SECRET, 'NOT-THE-CODE',
                                    {base_url: base});
  await assert.rejects(wrong.Companies.get(COMPANY), (e) =>
    e instanceof AutotaskApiError && e.status === 500 &&
    JSON.stringify(e.details) ===
        JSON.stringify({errors: ['IntegrationCode is invalid.']}));
  ok('a wrong integration code: 500 "IntegrationCode is invalid."');

  const thresholds = await at._get('/ThresholdInformation');
  assert.equal(thresholds.externalRequestThreshold, 10000);
  assert.ok(thresholds.currentTimeframeRequestCount > checks);
  ok('ThresholdInformation counts the requests');
  console.log(`1..${checks}`);
}

main().catch((e) => {
  console.error(`not ok - ${e && e.stack ? e.stack : e}`);
  if (e && e.details) console.error(JSON.stringify(e.details));
  process.exit(1);
});
