/*
** registry.c — THE table of rules. Adding a rule is one entry here plus its
** function (in the r_*.c file of its family); the engine, `fisc check`, its
** JSON and `fisc check --rules` pick it up from this table.
**
** Order matters only for the order of findings about the same book.
*/
#include <string.h>
#include "rules/engine.h"

static const fisc_rule rules[] = {
	/* §1 balance */
	{"balance.totals", "收支总计平衡", "income total equals expense total", FISC_SEV_ERROR,
	 "base facts under income_total / expense_total (dept_income_total / dept_exp_total for a department)",
	 fisc_rule_balance_totals},
	{"dept.income_empty", "部门收支表收入方不为空", "a department's tables have an income side",
	 FISC_SEV_ERROR, "dept_income_total and dept_exp_total of a department-year-phase, all books",
	 fisc_rule_dept_income},
	{"balance.subtotal", "表述合计等于各项之和", "a stated total equals the sum of its parts",
	 FISC_SEV_ERROR, "every stated fact with base facts under it (lines, catalogue parents, detail)",
	 fisc_rule_balance_subtotal},
	{"balance.parts", "分项不超过合计（完整时相等）",
	 "stated parts do not exceed their total (equal it when complete)", FISC_SEV_ERROR,
	 "stated facts with no base facts under them (其中 / 主要 lists) and the total above them",
	 fisc_rule_balance_parts},
	{"ssf.surplus", "社保基金当年结余 = 收入 − 支出", "SSF surplus equals income minus expense",
	 FISC_SEV_ERROR, "ssf_surplus, income_total, expense_total of the SSF book",
	 fisc_rule_ssf_surplus},
	/* §2 between books */
	{"books.transfer", "调出资金 = 调入资金（跨预算）", "transfers out equal transfers in across books",
	 FISC_SEV_ERROR, "transfer_out and transfer_in of every book of a region, year, phase, scope",
	 fisc_rule_books_transfer},
	/* §3 between levels */
	{"levels.balance", "下级（全辖 − 本级）收支平衡", "the implied lower-level book balances",
	 FISC_SEV_ERROR, "own and transfer lines of the 全辖 and 本级 books; 补助下级/上级补助 and 上解/下级上解 eliminated",
	 fisc_rule_levels_balance},
	{"levels.lower", "下级数 = 全辖 − 本级", "stated lower-level figures equal whole minus this level",
	 FISC_SEV_ERROR, "lines of the 下级 book against 全辖 − 本级", fisc_rule_levels_lower},
	{"levels.negative", "下级推算数不为负", "implied lower-level lines are not negative",
	 FISC_SEV_WARNING, "own and transfer lines of 全辖 − 本级", fisc_rule_levels_negative},
	/* §4 between years */
	{"years.carry", "结转下年 = 下年上年结转", "carry-out of a year equals carry-in of the next",
	 FISC_SEV_ERROR, "carry_out (Y, final or execution) and carry_in (Y+1), implied 下级 included",
	 fisc_rule_years_carry},
	{"years.ssf_balance", "社保基金滚存结余结转", "SSF balance rolls forward", FISC_SEV_ERROR,
	 "ssf_balance (Y−1, Y), ssf_surplus (Y) or SSF income − expense", fisc_rule_years_ssf},
	{"years.stab_fund", "预算稳定调节基金余额结转", "budget stabilisation fund balance rolls forward",
	 FISC_SEV_ERROR, "stab_fund_open, stab_fill, stab_draw, stab_fund_close", fisc_rule_years_stab},
	{"years.debt", "债务余额 = 上年余额 + 发行 − 还本", "debt closing = opening + issued − repaid",
	 FISC_SEV_ERROR, "debt_balance (Y−1, Y), debt_issue, debt_principal_paid", fisc_rule_years_debt},
	/* §5 debt */
	{"debt.limit", "债务余额不超过限额", "debt balance within the limit", FISC_SEV_ERROR,
	 "debt_balance, debt_limit (per book and in total)", fisc_rule_debt_limit},
	{"debt.split", "一般债务 + 专项债务 = 合计", "general + special debt equals the total",
	 FISC_SEV_ERROR, "debt_limit, debt_balance, debt_issue … of books all, gpb, gfb",
	 fisc_rule_debt_split},
	{"debt.issue", "债券发行 = 新增 + 再融资", "bonds issued equal new plus refinancing",
	 FISC_SEV_ERROR, "debt_issue, debt_issue_new, debt_issue_refi", fisc_rule_debt_issue},
	/* §6 Budget Law */
	{"law.reserve", "预备费为本级一般公共预算支出的1%–3%（预算法第四十条）",
	 "reserve fund 1%–3% of GPB expenditure (Budget Law art. 40)", FISC_SEV_WARNING,
	 "the 预备费 class (227) and own_exp of a GPB book", fisc_rule_law_reserve},
	{"law.transfer_direction", "调入资金方向（基金、国资 → 一般公共预算）",
	 "transfers only in allowed directions (GFB, SOE → GPB)", FISC_SEV_WARNING,
	 "transfer_out of GPB, transfer_in of GFB / SOE / SSF", fisc_rule_law_transfer},
	{"law.deficit", "一般公共预算以外的预算不得赤字", "no book other than GPB closes in deficit",
	 FISC_SEV_ERROR, "carry_out of GFB / SOE, ssf_balance", fisc_rule_law_deficit},
	/* §7 phases */
	{"phases.over_budget", "执行数不超过调整预算", "execution does not exceed the adjusted budget",
	 FISC_SEV_WARNING, "own_exp and expenditure classes, execution / final vs adjusted",
	 fisc_rule_phases_over},
	/* §8 precision */
	{"precision.unit", "同列数字单位一致", "a figure's unit matches the list it is in",
	 FISC_SEV_WARNING, "units of sibling figures from the same source", fisc_rule_precision_unit},
	/* §9 performance self-evaluation (fisc/perf.h) */
	{"perf.reason", "未达成的绩效指标须说明偏差原因", "an indicator that falls short states why",
	 FISC_SEV_ERROR, "performance indicators: target, result, reason", fisc_rule_perf_reason},
	{"perf.weights", "绩效指标分值合计90分", "indicator weights add up to 90 points",
	 FISC_SEV_ERROR, "performance indicators of a department-year or project: weights",
	 fisc_rule_perf_weights},
	{"perf.score", "填报得分与计算得分一致", "an assessed score is the computed one or in its grade's band",
	 FISC_SEV_ERROR, "performance indicators with a score: target, result, grade, weight",
	 fisc_rule_perf_score},
	{"perf.assessed", "绩效指标已填报完成值", "every indicator has a result", FISC_SEV_WARNING,
	 "performance indicators: result", fisc_rule_perf_assessed},
};

size_t fisc_rule_count(void) { return sizeof rules / sizeof *rules; }

const fisc_rule *fisc_rule_at(size_t i) { return i < fisc_rule_count() ? &rules[i] : NULL; }

const fisc_rule *fisc_rule_find(const char *id)
{
	for (size_t i = 0; i < fisc_rule_count(); i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}
