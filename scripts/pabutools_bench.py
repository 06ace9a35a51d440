"""Times pabutools (float mode) on a pabulib file: the Method of Equal
Shares with cost utilities, completed by raising every voter's budget one
unit at a time, then utilitarian greedy (the call behind expected.json's
"mes_*_then_greedy" lists). Prints the seconds and the selected ids.
Run by scripts/bench-budget.sh, which installs pabutools first."""

import sys
import time

import pabutools.fractions

pabutools.fractions.FRACTION = "float"

from pabutools.election import Cost_Sat, parse_pabulib  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

instance, profile = parse_pabulib(sys.argv[1])
start = time.process_time()
outcome = completion_by_rule_combination(
    instance,
    profile,
    [method_of_equal_shares, greedy_utilitarian_welfare],
    [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
)
seconds = time.process_time() - start
print(f"{seconds:.2f}")
print(" ".join(sorted(str(p.name) for p in outcome)))
