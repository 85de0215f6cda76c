/*
** cmd_pay.c — `fisc pay request|confirm|void|refund|batch`: payments against
** 指标 through the ledger engine; each one durable before it is reported.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int rc)
{
	fprintf(f,
		"用法 / usage:\n"
		"  fisc pay request --key K --line N --amount A [--payee P] [--purpose U]   申请（在途）| request\n"
		"  fisc pay confirm KEY [--date YYYYMMDD]   在途 → 已支付（默认今天）| confirm\n"
		"  fisc pay void KEY          在途 → 已退回 | void\n"
		"  fisc pay refund --key K --payment KEY --amount A [--date YYYYMMDD]   退款 | refund\n"
		"  fisc pay batch FILE.csv|FILE.xlsx   每行一笔，逐笔受理或拒绝 | one decision per row\n"
		"      列 / columns: action,key,line,amount,payee,purpose,payment,date\n"
		"金额单位默认为元 | amounts in 元 unless a unit is written\n");
	return rc;
}

static int amount(const char *s, int64_t *fen)
{
	fisc_amount a;
	if (fisc_amount_parse(s, strlen(s), FISC_UNIT_YUAN, &a) != FISC_OK || a.fen <= 0) {
		fprintf(stderr, "fisc pay: 金额无效「%s」/ bad amount '%s'\n", s, s);
		return 0;
	}
	*fen = a.fen;
	return 1;
}

static void show(const fisc_ledger_result *r)
{
	char q[64], p[64], w[64], a[64];
	fisc_fen_format(r->quota, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, q, sizeof q);
	fisc_fen_format(r->paid, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, p, sizeof p);
	fisc_fen_format(r->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, w, sizeof w);
	fisc_fen_format(r->quota - r->paid - r->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, a,
			sizeof a);
	printf("已受理%s：状态 %s；指标行 %lld：指标 %s 元，已支付 %s 元，在途 %s 元，可用 %s 元 / accepted\n",
	       r->replay ? "（重复提交，返回首次结果）" : "", fisc_pay_state_name(r->state),
	       (long long)r->line, q, p, w, a);
}

typedef struct tally {
	long accepted, refused;
} tally;

static int row_out(void *ud, const fisc_pay_row *r)
{
	tally *t = ud;
	if (r->rc == FISC_OK) {
		t->accepted++;
		printf("%s:%ld\t%s\t%s\t受理 accepted\t%s%s\n", r->file, r->line, r->action, r->key,
		       fisc_pay_state_name(r->res->state), r->res->replay ? "（重复提交）" : "");
	} else {
		t->refused++;
		printf("%s:%ld\t%s\t%s\t拒绝 refused\t%s\n", r->file, r->line, r->action, r->key,
		       r->msg);
	}
	return 0;
}

int cmd_pay(int argc, char **argv, const char *db)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	const char *verb = argv[1];
	const char *key = NULL, *payee = "", *purpose = "", *payment = NULL, *file = NULL;
	int64_t line = 0, fen = 0;
	int32_t date = 0;
	if (!strcmp(verb, "confirm") || !strcmp(verb, "void")) {
		if (argc == 5 && !strcmp(verb, "confirm") && !strcmp(argv[3], "--date"))
			date = atoi(argv[4]);
		else if (argc != 3)
			return usage(stderr, CLI_USAGE);
		key = argv[2];
	} else if (!strcmp(verb, "batch")) {
		if (argc != 3)
			return usage(stderr, CLI_USAGE);
		file = argv[2];
	} else if (!strcmp(verb, "request") || !strcmp(verb, "refund")) {
		for (int i = 2; i < argc; i++) {
			if (i + 1 >= argc)
				return usage(stderr, CLI_USAGE);
			if (!strcmp(argv[i], "--key"))
				key = argv[++i];
			else if (!strcmp(argv[i], "--line"))
				line = atoll(argv[++i]);
			else if (!strcmp(argv[i], "--amount")) {
				if (!amount(argv[++i], &fen))
					return CLI_USAGE;
			} else if (!strcmp(argv[i], "--payee"))
				payee = argv[++i];
			else if (!strcmp(argv[i], "--purpose"))
				purpose = argv[++i];
			else if (!strcmp(argv[i], "--payment"))
				payment = argv[++i];
			else if (!strcmp(argv[i], "--date"))
				date = atoi(argv[++i]);
			else
				return usage(stderr, CLI_USAGE);
		}
		if (!key || !fen || (verb[2] == 'q' ? line < 1 : !payment))
			return usage(stderr, CLI_USAGE);
	} else {
		fprintf(stderr, "fisc pay: 未知子命令 / unknown subcommand '%s'\n", verb);
		return usage(stderr, CLI_USAGE);
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_store_close(st);
	fisc_ledger *l;
	if (fisc_ledger_open(db, &l) != FISC_OK)
		return cli_error(CLI_FAIL);
	fisc_ledger_result res;
	int rc;
	if (file) {
		tally t = {0, 0};
		rc = fisc_pay_batch_file(l, file, row_out, &t);
		fisc_ledger_close(l);
		if (rc != FISC_OK)
			return cli_error(CLI_USAGE);
		fprintf(stderr, "受理 %ld 笔，拒绝 %ld 笔 / %ld accepted, %ld refused\n", t.accepted,
			t.refused, t.accepted, t.refused);
		return t.refused ? CLI_FAIL : CLI_OK;
	}
	if (!strcmp(verb, "request")) {
		fisc_payment p = {.key = key, .line = line, .fen = fen, .payee = payee, .purpose = purpose};
		rc = fisc_ledger_request(l, &p, &res);
	} else if (!strcmp(verb, "refund")) {
		fisc_refund r = {.key = key, .pay_key = payment, .fen = fen, .date = date};
		rc = fisc_ledger_refund(l, &r, &res);
	} else if (!strcmp(verb, "confirm")) {
		rc = fisc_ledger_confirm_on(l, key, date, &res);
	} else {
		rc = fisc_ledger_void(l, key, &res);
	}
	fisc_ledger_close(l);
	if (rc != FISC_OK) {
		fprintf(stderr, "fisc: 拒绝 / refused: %s\n", fisc_error_message());
		return CLI_FAIL;
	}
	show(&res);
	return CLI_OK;
}
