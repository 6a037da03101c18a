/* The WAL stays bounded under concurrent writers (docs/internals/sqlite.md):
 * four writer threads commit about 40 KB each, as fast as they can, while
 * two readers keep overlapping read transactions open and a housekeeping
 * thread calls the store's maintain op every 100 ms, as the server's poll
 * does; the size of site.db-wal, sampled every 5 ms, must stay under
 * 32 MiB. With SQLite's own autocheckpoint alone the readers keep the WAL
 * from ever restarting and it grows with everything written (287 MiB in
 * this test before the policy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "store/sqlite_ext.h"
#include "store/store.h"

#define RUN_MS 10000
#define BOUND (32 << 20)

struct fx {
    char dir[64], path[96], wal[100];
    mh_store_t *s;
    atomic_bool stop;
    atomic_long commits;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *writer(void *arg)
{
    struct fx *f = arg;
    sqlite3 *db = mh_sqlite_db(f->s);
    sqlite3_stmt *st = NULL;
    char blob[2048];
    memset(blob, 'x', sizeof(blob));
    if (!db || sqlite3_prepare_v2(db, "INSERT INTO wal_load (body) VALUES (?1)", -1, &st, NULL))
        return NULL;
    while (!atomic_load(&f->stop)) {
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            continue;
        for (int i = 0; i < 20; i++) {
            sqlite3_bind_blob(st, 1, blob, sizeof(blob), SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
            atomic_fetch_add(&f->commits, 1);
        else
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_finalize(st);
    return NULL;
}

/* Read transactions that overlap: each holds a snapshot for 20 ms. */
static void *reader(void *arg)
{
    struct fx *f = arg;
    sqlite3 *db = mh_sqlite_db(f->s);
    while (db && !atomic_load(&f->stop)) {
        sqlite3_exec(db, "BEGIN; SELECT max(id) FROM wal_load;", NULL, NULL, NULL);
        usleep(20 * 1000);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    return NULL;
}

static void *housekeeper(void *arg)
{
    struct fx *f = arg;
    while (!atomic_load(&f->stop)) {
        f->s->ops->maintain(f->s);
        usleep(100 * 1000);
    }
    return NULL;
}

static void test_wal_bounded(void **state)
{
    (void)state;
    struct fx f = {0};
    char err[256], cmd[128];
    pthread_t t[7];
    off_t max = 0;
    struct stat st;
    snprintf(f.dir, sizeof(f.dir), "/tmp/mh-wal-XXXXXX");
    assert_non_null(mkdtemp(f.dir));
    snprintf(f.path, sizeof(f.path), "%s/site.db", f.dir);
    snprintf(f.wal, sizeof(f.wal), "%s-wal", f.path);
    assert_int_equal(mh_store_open(f.path, true, &f.s, err, sizeof(err)), MH_OK);
    assert_int_equal(f.s->ops->migrate(f.s, NULL, err, sizeof(err)), MH_OK);
    assert_non_null(f.s->ops->maintain);
    assert_int_equal(sqlite3_exec(mh_sqlite_db(f.s),
                                  "CREATE TABLE wal_load (id INTEGER PRIMARY KEY, body BLOB)", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, &f), 0);
    for (int i = 4; i < 6; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, &f), 0);
    assert_int_equal(pthread_create(&t[6], NULL, housekeeper, &f), 0);
    long end = now_ms() + RUN_MS;
    /* until twice the bound is written, or 10 s on a slow machine */
    while (now_ms() < end && atomic_load(&f.commits) * 20 * 2048 < 2 * (long)BOUND) {
        if (stat(f.wal, &st) == 0 && st.st_size > max)
            max = st.st_size;
        usleep(5 * 1000);
    }
    atomic_store(&f.stop, true);
    for (int i = 0; i < 7; i++)
        pthread_join(t[i], NULL);
    print_message("commits %ld (%.1f MiB written), largest WAL %.1f MiB\n",
                  (long)atomic_load(&f.commits), atomic_load(&f.commits) * 20 * 2048.0 / 1048576,
                  max / 1048576.0);
    /* enough written that an unbounded WAL would pass the bound */
    assert_true(atomic_load(&f.commits) * 20 * 2048 > (long)BOUND);
    assert_true(max < BOUND);
    f.s->ops->close(f.s);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f.dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wal_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
