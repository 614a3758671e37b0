/* SPDX-License-Identifier: MIT */
/*
 * cw_fixture.h — the small ConnectWise dataset most driver tests share.
 *
 *   companies  1000 O'Brien & Sons (active), 1001 deleted, 1002 Inactive
 *              status, 1003 not mapped
 *   agreements 5000 (1000, Active, "Managed Services", prorate on)
 *              5001 (1000, Cancelled)   5002 (1002, Active, "Block Time")
 *              5003 (1003, Active)
 *   additions  9000 5000 LASTPASS-BUS 12
 *              9001 5000 LASTPASS-MFA 3.6 (a fraction: a note, no line)
 *              9002 5000 LASTPASS-BUS cancelled 2026-11-01 (past)
 *              9003 5000 OTHER-ITEM 1
 *              9004 5002 LASTPASS-BUS 7, cancelled 2026-12-01 (future)
 *              9005 5001 LASTPASS-BUS 9 (agreement cancelled)
 *              9006 5003 LASTPASS-BUS 4 (company not mapped)
 *   catalog    700 LASTPASS-BUS, 701 LASTPASS-MFA (inactive), 702 OTHER-ITEM
 * The run date is 2026-11-15.
 */
#ifndef CW_FIXTURE_H
#define CW_FIXTURE_H

#define CW_FIXTURE                                                             \
  "{\"companies\":["                                                           \
  "{\"id\":1000,\"identifier\":\"OBrien\",\"name\":\"O'Brien & Sons\"},"       \
  "{\"id\":1001,\"identifier\":\"Gone\",\"name\":\"Gone Ltd\","                \
  "\"deletedFlag\":true},"                                                     \
  "{\"id\":1002,\"identifier\":\"Sleepy\",\"name\":\"Sleepy Inc\","            \
  "\"status\":{\"id\":2,\"name\":\"Inactive\"}},"                              \
  "{\"id\":1003,\"identifier\":\"Other\",\"name\":\"Other Co\"}],"             \
  "\"agreements\":["                                                           \
  "{\"id\":5000,\"name\":\"LastPass\",\"company\":{\"id\":1000},"              \
  "\"type\":{\"id\":1,\"name\":\"Managed Services\"},"                         \
  "\"agreementStatus\":\"Active\",\"prorateFlag\":true},"                      \
  "{\"id\":5001,\"name\":\"Old\",\"company\":{\"id\":1000},"                   \
  "\"type\":{\"id\":1,\"name\":\"Managed Services\"},"                         \
  "\"agreementStatus\":\"Cancelled\",\"cancelledFlag\":true},"                 \
  "{\"id\":5002,\"name\":\"Hours\",\"company\":{\"id\":1002},"                 \
  "\"type\":{\"id\":2,\"name\":\"Block Time\"},"                               \
  "\"agreementStatus\":\"Active\"},"                                           \
  "{\"id\":5003,\"name\":\"Else\",\"company\":{\"id\":1003},"                  \
  "\"agreementStatus\":\"Active\"}],"                                          \
  "\"additions\":["                                                            \
  "{\"id\":9000,\"agreementId\":5000,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":12},"            \
  "{\"id\":9001,\"agreementId\":5000,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-MFA\"},\"quantity\":3.6},"           \
  "{\"id\":9002,\"agreementId\":5000,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":5,"              \
  "\"cancelledDate\":\"2026-11-01T00:00:00Z\"},"                               \
  "{\"id\":9003,\"agreementId\":5000,"                                         \
  "\"product\":{\"identifier\":\"OTHER-ITEM\"},\"quantity\":1},"               \
  "{\"id\":9004,\"agreementId\":5002,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":7,"              \
  "\"cancelledDate\":\"2026-12-01T00:00:00Z\"},"                               \
  "{\"id\":9005,\"agreementId\":5001,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":9},"             \
  "{\"id\":9006,\"agreementId\":5003,"                                         \
  "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":4}],"            \
  "\"catalog\":["                                                              \
  "{\"id\":700,\"identifier\":\"LASTPASS-BUS\","                               \
  "\"description\":\"LastPass Business\"},"                                    \
  "{\"id\":701,\"identifier\":\"LASTPASS-MFA\","                               \
  "\"description\":\"LastPass Business + MFA\",\"inactiveFlag\":true},"        \
  "{\"id\":702,\"identifier\":\"OTHER-ITEM\",\"description\":\"Other\"}]}"

#endif
