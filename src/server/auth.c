/*
** auth.c — login throttling: failed logins counted per user name and per
** client address in a small in-memory table, so that guessing passwords
** costs time whichever of the two an attacker varies.
**
** After SRV_FREE_FAILS failures within the window a key is refused until the
** window has passed since its last failure; a success clears the key. The
** table is per process (a restart forgets it) and bounded: when full, the
** oldest entry is reused. Argon2id already makes each guess cost ~0.1 s.
*/
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "server/server.h"

enum { SLOTS = 1024, SRV_FREE_FAILS = 5, WINDOW = 300 /* seconds */ };

static struct slot {
	char key[96];
	int fails;
	time_t last;
} slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *find(const char *key, int create)
{
	struct slot *oldest = &slots[0];
	time_t now = time(NULL);
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].key[0] && now - slots[i].last > WINDOW)
			slots[i].key[0] = 0; /* expired */
		if (slots[i].key[0] && !strncmp(slots[i].key, key, sizeof slots[i].key - 1))
			return &slots[i];
		if (!slots[i].key[0] || slots[i].last < oldest->last)
			oldest = !oldest->key[0] ? oldest : &slots[i];
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	strncpy(oldest->key, key, sizeof oldest->key - 1);
	return oldest;
}

int srv_throttled(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0);
	int r = s && s->fails >= SRV_FREE_FAILS;
	pthread_mutex_unlock(&lock);
	return r;
}

void srv_failed(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 1);
	s->fails++;
	s->last = time(NULL);
	pthread_mutex_unlock(&lock);
}

void srv_succeeded(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0);
	if (s)
		s->key[0] = 0;
	pthread_mutex_unlock(&lock);
}
