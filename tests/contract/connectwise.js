// SPDX-License-Identifier: MIT
// connectwise.js — drives the public ConnectWise client `connectwise-rest`
// against connectwise-sim (started by connectwise.sh with the fixture
// tests/sim/connectwise/fixtures/small.json). What a real client does must
// work against the simulator exactly as against ConnectWise: lists with
// conditions and paging, counts, reading and patching an addition, company
// statuses, and the 414 for a URL past 2,000 characters.
//
// usage: node connectwise.js HOST:PORT   (NODE_PATH holds the package)
'use strict';
const assert = require('node:assert/strict');
const { ManageAPI } = require('connectwise-rest');

const companyUrl = process.argv[2];
if (!companyUrl) {
  console.error('usage: node connectwise.js HOST:PORT');
  process.exit(2);
}

// The simulator's defaults (tests/sim/connectwise/README.md).
const cwm = new ManageAPI({
  companyId: 'lpsademo',
  companyUrl,
  publicKey: 'pubkey',
  privateKey: 'privkey',
  clientId: '3f1c2b9e-0000-4000-8000-00000000c11d',
  entryPoint: 'v4_6_release',
  apiVersion: '2025.1',
  logger: () => {},
});

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('a list with conditions, paged by the client', async () => {
  const conditions = 'name like "%o%" and deletedFlag = false';
  const pages = await cwm.paginate(
    cwm.CompanyAPI.getCompanyCompanies.bind(cwm.CompanyAPI),
    { startPage: 1, pageSize: 3 },
    { conditions, orderBy: 'id asc', fields: 'id,name' },
  );
  const { count } = await cwm.CompanyAPI.getCompanyCompaniesCount({
    conditions,
  });
  assert.ok(count > 3, `too few companies match (${count}) to need pages`);
  assert.equal(pages.length, count);
  const ids = pages.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'a company came twice');
  assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'not in id order');
  for (const c of pages) {
    assert.deepEqual(Object.keys(c).sort(), ['id', 'name']);
    assert.match(c.name, /o/i);
  }
});

check('quoted strings, accents and a page beyond the last', async () => {
  const one = await cwm.CompanyAPI.getCompanyCompanies({
    conditions: `name = "O'Brien & Sons Plumbing"`,
  });
  assert.equal(one.length, 1);
  assert.equal(one[0].id, 1001);
  const accented = await cwm.CompanyAPI.getCompanyCompanies({
    conditions: 'name like "Caf%"',
  });
  assert.deepEqual(accented.map((c) => c.name), ['Café Müller GmbH']);
  const none = await cwm.CompanyAPI.getCompanyCompanies({
    page: 99,
    pageSize: 10,
  });
  assert.deepEqual(none, []);
});

check('counts', async () => {
  const all = await cwm.CompanyAPI.getCompanyCompaniesCount();
  assert.equal(all.count, 17);
  const active = await cwm.FinanceAPI.getFinanceAgreementsCount({
    conditions: 'agreementStatus = "Active" and cancelledFlag = false',
  });
  const list = await cwm.FinanceAPI.getFinanceAgreements({
    conditions: 'agreementStatus = "Active" and cancelledFlag = false',
    pageSize: 1000,
  });
  assert.equal(active.count, list.length);
});

check('company statuses: inactive is the flag, not the name', async () => {
  const statuses = await cwm.CompanyAPI.getCompanyCompaniesStatuses({
    fields: 'id,name,inactiveFlag',
    orderBy: 'id',
  });
  const byName = Object.fromEntries(statuses.map((s) => [s.name, s]));
  assert.equal(byName['Former Client'].inactiveFlag, true);
  assert.equal(byName['Onboarding'].inactiveFlag, false);
  const inactive = await cwm.CompanyAPI.getCompanyCompaniesStatusesCount({
    conditions: 'inactiveFlag = true',
  });
  assert.equal(inactive.count, statuses.filter((s) => s.inactiveFlag).length);
  const company = await cwm.CompanyAPI.getCompanyCompaniesById(1008, {
    fields: 'id,status',
  });
  assert.deepEqual(company.status, { id: 2, name: 'Inactive' });
});

check("an agreement's additions, read and patched", async () => {
  const adds = await cwm.FinanceAPI.getFinanceAgreementsByParentIdAdditions(
    5011,
    {
      conditions:
        'product/identifier = "LASTPASS-BUS" and cancelledDate = null',
      fields: 'id,product/identifier,quantity,agreementId',
    },
  );
  assert.equal(adds.length, 1);
  const id = adds[0].id;
  assert.equal(adds[0].quantity, 30);
  const patched =
    await cwm.FinanceAPI.patchFinanceAgreementsByParentIdAdditionsById(
      id,
      5011,
      [{ op: 'replace', path: 'quantity', value: 33 }],
    );
  assert.equal(patched.quantity, 33);
  assert.equal(patched.agreementId, 5011);
  const again =
    await cwm.FinanceAPI.getFinanceAgreementsByParentIdAdditionsById(
      id,
      5011,
    );
  assert.equal(again.quantity, 33);
  assert.equal(again.product.identifier, 'LASTPASS-BUS');
  // A fractional quantity is stored and served as given.
  const frac =
    await cwm.FinanceAPI.patchFinanceAgreementsByParentIdAdditionsById(
      id,
      5011,
      [{ op: 'replace', path: '/quantity', value: 33.4 }],
    );
  assert.equal(frac.quantity, 33.4);
});

check('errors as ConnectWise sends them', async () => {
  await assert.rejects(
    cwm.FinanceAPI.getFinanceAgreementsByParentIdAdditionsById(1, 5011),
    (e) => e.status === 404 && e.data.code === 'NotFound',
  );
  await assert.rejects(
    cwm.CompanyAPI.getCompanyCompanies({ conditions: 'nosuch = 1' }),
    (e) => e.status === 400 && /unknown field/.test(e.data.message),
  );
  // Past 2,000 characters of URL, real servers refuse: so does ours.
  const ids = Array.from({ length: 400 }, (_, i) => 100000 + i).join(',');
  await assert.rejects(
    cwm.CompanyAPI.getCompanyCompanies({ conditions: `id in (${ids})` }),
    (e) => e.status === 414,
  );
});

(async () => {
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of checks) {
    try {
      await fn();
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}`);
      console.log(`  ${e && e.stack ? e.stack : JSON.stringify(e)}`);
    }
  }
  console.log(`contract.connectwise: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
