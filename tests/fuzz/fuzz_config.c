/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the config loader (configs/config.c over inih, with
 * the [router*] and [metrics] sections it hands to router/ and telemetry/):
 * an operator's file is untrusted text.
 *
 * Input: the file's text (cut at the first NUL, as a C string would be).
 * Checked on every input, else abort():
 *  - zk_config_load_string() never crashes and returns 0 or -1;
 *  - on failure the error starts with the file name and ':' (the operator
 *    must see which file is wrong) and the caller's struct is untouched;
 *  - on success the config dumps (zk_config_write), the dump loads, and
 *    the reloaded config dumps to exactly the same text (the dump is a
 *    faithful, complete file); zk_config_gen_params() answers 0 or -1.
 *
 * Built a second time with -DZK_FUZZ_CONFIG_SEEDS (gcc, linked against the
 * library) it is the seed generator: `fuzz_config_seed DIR LIST CONF...`
 * writes the embedded default, its dump, each CONF file and a few small
 * operator overlays into DIR, their paths into LIST.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/config.h"

#include "fuzz_seed_util.h"

#define FILE_NAME "fuzz.conf"

/* Dump to a malloc'd NUL-terminated text; NULL when writing fails. */
static char *
dump(const struct zk_config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	if (zk_config_write(cfg, f) != 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

#ifndef ZK_FUZZ_CONFIG_SEEDS

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zk_config cfg, again, sentinel;
	char *text, *first, *second;
	char err[512];
	int rc;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	memset(&sentinel, 0xa5, sizeof(sentinel));
	memcpy(&cfg, &sentinel, sizeof(cfg));
	err[0] = '\0';
	rc = zk_config_load_string(&cfg, FILE_NAME, text, err, sizeof(err));
	free(text);
	if (rc != 0) {
		if (rc != -1 ||
		    strncmp(err, FILE_NAME ":", strlen(FILE_NAME ":")) != 0)
			abort();
		if (memcmp(&cfg, &sentinel, sizeof(cfg)) != 0)
			abort(); /* half-applied on failure */
		return 0;
	}

	first = dump(&cfg);
	if (first == NULL)
		abort();
	rc = zk_config_load_string(&again, "dump", first, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dump does not load: %s\n%s", err, first);
		abort();
	}
	second = dump(&again);
	if (second == NULL || strcmp(first, second) != 0) {
		fprintf(stderr, "dump changes on reload:\n%s\n----\n%s", first,
			second ? second : "(none)");
		abort();
	}
	free(first);
	free(second);

	{
		struct zk_gen_params gp;

		rc = zk_config_gen_params(&cfg, &gp, err, sizeof(err));
		if (rc != 0 && rc != -1)
			abort();
	}
	return 0;
}

#else /* seed generator */

/* Small files an operator would write over the default. */
static const char *const overlays[] = {
	"[batch]\nmax_ops = 64\ntimeout_us = 500\n",
	"; one market, tighter band\n[market.7]\ntick = 5\nlot = 10\n"
	"min_price = 100\nmax_price = 5000\nmax_qty = 100000\n"
	"stp = cancel-both\n",
	"[dataplane]\nsource = pcap\npcap_path = /var/lib/zkclob/in.pcap\n",
	"[router]\nstrategy = latency\n",
	"[metrics]\nenabled = true\n",
	"[placement]\nrx = 1\nprovers = auto\ntopology = pack:1 core:2 pu:1\n",
};

int
main(int argc, char **argv)
{
	static struct zk_config cfg;
	struct fuzz_seeds s;
	char err[512], *text;
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE [CONF...]\n",
			argv[0]);
		return 2;
	}
	if (fuzz_seeds_open(&s, "fuzz_config_seed", argv[1], argv[2]) != 0)
		return 1;
	if (fuzz_seeds_emit(&s, zk_config_default_text,
			    strlen(zk_config_default_text)) != 0)
		return 1;
	if (zk_config_load_default(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_config_seed: %s\n", err);
		return 1;
	}
	text = dump(&cfg);
	if (text == NULL || fuzz_seeds_emit(&s, text, strlen(text)) != 0)
		return 1;
	free(text);
	for (i = 3; i < (size_t)argc; i++)
		if (fuzz_seeds_emit_file(&s, argv[i]) != 0)
			return 1;
	/* Overlays that do not load are still honest operator text, but the
	 * seeds should mostly reach the success path: say which do not. */
	for (i = 0; i < sizeof(overlays) / sizeof(overlays[0]); i++) {
		if (zk_config_load_string(&cfg, "overlay", overlays[i], err,
					  sizeof(err)) != 0)
			fprintf(stderr, "fuzz_config_seed: note: %s\n", err);
		if (fuzz_seeds_emit(&s, overlays[i], strlen(overlays[i])) != 0)
			return 1;
	}
	return fuzz_seeds_close(&s) == 0 ? 0 : 1;
}

#endif
