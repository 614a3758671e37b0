# SPDX-License-Identifier: MIT
"""bench_models.py - what a sync of the dataset should cost, three ways.

For each side (LastPass, ConnectWise, Autotask) and a dataset (counts from
bench_dataset.py) with C changes:
  lower_bound  the fewest requests ANY client must send: every record it
               needs, read at the largest page size the API allows, with
               server-side filters, one write per change; nothing that
               configuration can avoid (discovery, zone lookup);
  naive        a per-company sync, as peers write it (see README.md);
  formula      the driver's / client's own documented cost
               (plugins/*/README.md, core/lastpass.c), as a range [lo, hi]:
               the dataset fixes most terms exactly; where the driver's
               choice depends on details (stand-in contracts, a page of
               exactly MaxRecords followed by an empty one) the range
               covers both ends.
Every model is a dict {"dry": n or (lo, hi), "per_change": k}.
"""


def ceil_div(a, b):
    return -(-a // b)


def pages(rows, size):
    """Requests to read `rows` records at `size` per page (one when empty)."""
    return max(1, ceil_div(rows, size))


def pages_hi(rows, size):
    """As pages(), plus the empty page some servers send after a full one."""
    return pages(rows, size) + (1 if rows and rows % size == 0 else 0)


# -- LastPass ----------------------------------------------------------------
LP_COMPANIES_MAX = 500  # managed-companies max-results
LP_BILLING_MAX = 50  # billing-reports max-results
LP_DEFAULT = 10  # both lists' default max-results


def lastpass(lp):
    n, b = lp["companies"], lp["billing_records"]
    lo = pages(n, LP_COMPANIES_MAX) + 1 + pages(b, LP_BILLING_MAX)
    hi = (pages_hi(n, LP_COMPANIES_MAX) + 1 + pages_hi(b, LP_BILLING_MAX))
    return {
        "lower_bound": {"dry": lo, "per_change": 0},
        "naive": {"dry": pages(n, LP_DEFAULT) + 1 + pages(b, LP_DEFAULT),
                  "per_change": 0},
        "formula": {"dry": (lo, hi), "per_change": 0},
    }


# -- ConnectWise ---------------------------------------------------------------
CW_PAGE = 1000  # pageSize maximum
CW_IDS_PER_CHUNK = 200  # plugins/connectwise/README.md (and the URL budget:
# 200 ids of up to 5 digits fit a 2,000-character URL without agreement_type)


def connectwise(cw):
    a = cw["agreements"]
    additions = sum(pages(n, CW_PAGE) for n in cw["lines_per_agreement"])
    # README: D + ceil(P/50) + 1 (company statuses) + L(companies) +
    # L(agreements) + per agreement its additions pages; D = 1 (no codebase
    # configured). A list of K id chunks costs K when K <= 2, else min(K, 1 +
    # pages of the whole list) (a /count, then the cheaper of the two).
    def list_cost(ids, whole):
        k = ceil_div(ids, CW_IDS_PER_CHUNK)
        return k if k <= 2 else min(k, 1 + pages_hi(whole, CW_PAGE))
    companies = list_cost(cw["mapped"], cw["all_companies"])
    statuses = 1 if cw["mapped"] else 0
    lo = 1 + 1 + statuses + companies + list_cost(
        cw["present"], cw["all_active_agreements"]) + additions
    hi = 1 + 1 + statuses + companies + list_cost(
        cw["mapped"], cw["all_active_agreements"]) + additions
    # Naive: discovery, catalog, statuses; per mapped company a GET of it,
    # for those that exist one agreements query, then one additions read per
    # agreement.
    naive = 3 + cw["mapped"] + cw["present"] + a
    return {
        # The statuses read is needed to tell an inactive company (its
        # status's inactiveFlag), so it is part of the bound.
        "lower_bound": {
            "dry": 1 + statuses + pages(cw["present"], CW_PAGE) +
            pages(a, CW_PAGE) + a,
            "per_change": 1},
        "naive": {"dry": naive, "per_change": 2},
        "formula": {"dry": (lo, hi), "per_change": 2},
    }


# -- Autotask -----------------------------------------------------------------
AT_PAGE = 500  # MaxRecords maximum, and the `in` list limit
AT_UNITS_CHUNK = 400  # plugins/autotask/README.md (window rows spill)


def _units_requests(rows_per_line, paged):
    total = 0
    for i in range(0, max(1, len(rows_per_line)), AT_UNITS_CHUNK):
        chunk = rows_per_line[i:i + AT_UNITS_CHUNK]
        if chunk or i == 0:
            total += paged(sum(chunk), AT_PAGE)
    return total if rows_per_line else 0


def autotask(at):
    # README: Z + 2 + ceil(P/250) + max(1, ceil(L/500)) + ceil(C/500)
    #         + ceil(N/500) + sum over ceil(E/400) chunks of units pages.
    fixed = 1 + 2 + 1  # zone lookup, two picklist reads, Services
    lo = (fixed + pages(at["billing_lines"], AT_PAGE) +
          ceil_div(at["billed_contracts"], AT_PAGE) +
          ceil_div(at["companies_min"], AT_PAGE) +
          _units_requests(at["unit_rows_min"], pages))
    chunks_hi = lambda n: ceil_div(n, AT_PAGE) + (1 if n % AT_PAGE == 0 else 0)
    hi = (fixed + pages_hi(at["billing_lines"], AT_PAGE) +
          chunks_hi(at["billed_contracts"]) + chunks_hi(at["companies_max"]) +
          _units_requests(at["unit_rows_max"], pages_hi))
    naive = 4 + at["mapped"]  # zone, picklists, Services; a GET per company
    for cid in at["mapped_ids"]:
        if cid in at["present_ids"]:
            naive += 1  # its contracts
            for n_lines in at["contracts_per_company"].get(cid, []):
                naive += 1 + n_lines  # contract services, units per line
    # Services and the two picklist reads (period lengths, Active status).
    lower = (3 + pages(at["present"], AT_PAGE) +
             pages(at["kept_mapped"], AT_PAGE) +
             pages(at["lines_mapped"], AT_PAGE))
    return {
        "lower_bound": {"dry": lower, "per_change": 1},
        "naive": {"dry": naive, "per_change": 2},
        # set_quantity: the units re-read (its row proves the contract
        # service exists), the POST, the verifying units read.
        "formula": {"dry": (lo, hi), "per_change": 3},
    }


def lo_hi(v):
    return v if isinstance(v, tuple) else (v, v)


# -- HaloPSA -------------------------------------------------------------------
HP_PAGE = 100  # page_size the driver asks, and the cap Halo is reported to hold
HP_NAMES = 2  # the benchmark configures both items by name
HP_BUDGET = 250  # requests_per_5min by default
HP_WINDOW_S = 300


def halopsa(hp):
    # README: A + 1 + items + clients + invoices. A = 1 (authinfo, no
    # auth_url configured); items: one search page per name; clients and
    # invoices: the whole lists (every world client is mapped), or after the
    # first page the missing clients one by one / each client's invoices,
    # whichever is cheaper.
    c_pages = pages(hp["all_clients"], HP_PAGE)
    i_pages = pages(hp["all_invoices"], HP_PAGE)
    first = min(hp["all_clients"], HP_PAGE)
    missing = max(0, hp["present"] - first)
    clients = c_pages if c_pages == 1 else (
        1 + missing if missing < c_pages - 1 else c_pages)
    invoices = i_pages if i_pages == 1 else (
        1 + hp["active_present"] if hp["active_present"] < i_pages - 1
        else i_pages)
    formula = 2 + HP_NAMES + clients + invoices
    return {
        # A token, one search finding both items, both lists.
        "lower_bound": {"dry": 1 + 1 + c_pages + i_pages, "per_change": 1},
        # Per mapped client: GET it, and its invoices.
        "naive": {"dry": 2 + HP_NAMES + 2 * hp["mapped"], "per_change": 2},
        # set_quantity: the re-read and the post (its answer holds the lines).
        "formula": {"dry": formula, "per_change": 2},
    }


def halopsa_paced_s(requests):
    """Seconds the default budget (250 per rolling 5 minutes) needs for a
    run of `requests` HaloPSA requests: the first 250 at once, then 250 per
    window."""
    if requests <= HP_BUDGET:
        return 0.0
    return ((requests - 1) // HP_BUDGET) * float(HP_WINDOW_S)
