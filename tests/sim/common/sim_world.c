/* SPDX-License-Identifier: MIT */
/*
 * sim_world.c — the deterministic world generator (see sim_world.h).
 *
 * Every field comes from a counter-based hash (splitmix64 of seed, index and
 * a field number), so company i is the same in every process and no
 * generator state is shared. Names are a bijection of the index over
 * (word, word, suffix) combinations, so they are unique.
 */
#include "sim_world.h"

#include <stdint.h>
#include <string.h>

static uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* A pseudo-random number for (seed, index, field). */
static uint64_t draw(unsigned seed, int index, unsigned field) {
  return mix(mix(mix((uint64_t)seed) ^ (uint64_t)(unsigned)index) ^ field);
}

static const char *const first[] = {"O'Brien",
                                    "Café Müller",
                                    "Smith & Sons",
                                    "\"Blue Sky\"",
                                    "100% Pure",
                                    "Meyer, Klein",
                                    "Acme",
                                    "Nordström",
                                    "Zoë's",
                                    "Ångström",
                                    "Baker & McKenzie",
                                    "D'Angelo",
                                    "Łódź",
                                    "São Paulo",
                                    "Crème Brûlée",
                                    "Northwind",
                                    "Contoso",
                                    "Fabrikam",
                                    "Tailspin",
                                    "Wide World",
                                    "Adventure",
                                    "Litware",
                                    "Proseware",
                                    "Lucerne",
                                    "Woodgrove",
                                    "Coho",
                                    "Alpine",
                                    "Blue Yonder",
                                    "Humongous",
                                    "Trey",
                                    "Wingtip",
                                    "Margie's",
                                    "A. Datum",
                                    "Bellows",
                                    "Graphic",
                                    "Southridge",
                                    "Fourth",
                                    "First Up",
                                    "Consolidated",
                                    "Tabor"};
static const char *const second[] = {
    "Accounting", "Dental",      "Law Group", "Logistics", "Bakery",
    "Consulting", "Engineering", "Partners",  "Holdings",  "Clinic",
    "Architects", "Trading",     "Media",     "Foods",     "Realty",
    "Insurance",  "Motors",      "Pharmacy",  "& Co",      "Studio",
    "Labs",       "Systems",     "Services",  "Travel",    "Brewing",
    "Farms",      "Textiles",    "Robotics",  "Analytics", "Outfitters"};
static const char *const suffix[] = {"Inc",      "LLC",   "GmbH", "B.V.",
                                     "Ltd",      "S.A.",  "AG",   "Pty Ltd",
                                     "S.à r.l.", "Corp.", "plc",  ""};

#define N_FIRST (sizeof first / sizeof first[0])
#define N_SECOND (sizeof second / sizeof second[0])
#define N_SUFFIX (sizeof suffix / sizeof suffix[0])
#define N_COMBOS (N_FIRST * N_SECOND * N_SUFFIX)

/* A multiplier coprime with N_COMBOS (14400 = 2^6 3^2 5^2), so
 * j = (i * P + offset) mod N_COMBOS is a bijection on 0..N_COMBOS-1. */
#define NAME_STRIDE 4817u

static void make_name(unsigned seed, int index, char *out, size_t cap) {
  unsigned offset = (unsigned)(mix(seed) % N_COMBOS);
  unsigned round = (unsigned)index / N_COMBOS; /* > 0 only past 14400 */
  unsigned j =
      (unsigned)(((uint64_t)((unsigned)index % N_COMBOS) * NAME_STRIDE +
                  offset) %
                 N_COMBOS);
  const char *a = first[j % N_FIRST];
  const char *b = second[(j / N_FIRST) % N_SECOND];
  const char *s = suffix[j / (N_FIRST * N_SECOND)];
  char nth[16] = "";
  if (round)
    snprintf(nth, sizeof nth, " %u", round + 1);
  int n = snprintf(out, cap, "%s %s%s%s%s", a, b, nth, *s ? " " : "", s);
  /* About 3% get a trailing space, as data typed by people does. */
  if (n > 0 && (size_t)n + 1 < cap && draw(seed, index, 7) % 100 < 3) {
    out[n] = ' ';
    out[n + 1] = '\0';
  }
}

/* Seats: mostly small offices, some large customers, 1..300. */
static int make_seats(unsigned seed, int index) {
  uint64_t r = draw(seed, index, 3);
  if (r % 100 < 80)
    return 1 + (int)((r >> 8) % 40);
  return 1 + (int)((r >> 8) % 300);
}

/* The PSA quantity for a changed company: seats +/- a small step, not equal
 * to seats, >= 0, and at most 2*seats so the change is never a drop of more
 * than 50% (those are held by the guardrail; tests add them on purpose). */
static int make_psa_quantity(unsigned seed, int index, int seats) {
  uint64_t r = draw(seed, index, 5);
  int step = 1 + (int)(r % (uint64_t)(seats / 10 + 3));
  int q = (r >> 16) & 1 ? seats + step : seats - step;
  if (q > 2 * seats)
    q = 2 * seats;
  if (q < 0)
    q = 0;
  if (q == seats) /* seats == 0 cannot happen; keep it different anyway */
    q = seats + 1 <= 2 * seats ? seats + 1 : seats - 1;
  return q;
}

void sim_world_company_at(unsigned seed, int change_pct, int index,
                          sim_world_company *out) {
  memset(out, 0, sizeof *out);
  out->index = index;
  out->lastpass_id = SIM_WORLD_LASTPASS_ID_BASE + index;
  out->psa_company_id = SIM_WORLD_PSA_ID_BASE + index;
  make_name(seed, index, out->name, sizeof out->name);
  out->mfa = draw(seed, index, 1) % 100 < 30;
  out->suspended = draw(seed, index, 2) % 100 < 2;
  out->seats = make_seats(seed, index);
  out->changed = draw(seed, index, 4) % 100 < (uint64_t)change_pct;
  out->psa_quantity =
      out->changed ? make_psa_quantity(seed, index, out->seats) : out->seats;
}

void sim_world_csv_field(FILE *out, const char *s) {
  size_t n = strlen(s);
  int quote =
      strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
  if (!quote) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

int sim_world_write_mapping(FILE *out, unsigned seed, int change_pct, int n) {
  sim_world_company c;
  fputs("lastpass_company_id,psa_company_id,agreement_id,note\n", out);
  for (int i = 0; i < n; i++) {
    sim_world_company_at(seed, change_pct, i, &c);
    fprintf(out, "%ld,%ld,,", c.lastpass_id, c.psa_company_id);
    sim_world_csv_field(out, c.name);
    fputc('\n', out);
  }
  return ferror(out) ? -1 : 0;
}
