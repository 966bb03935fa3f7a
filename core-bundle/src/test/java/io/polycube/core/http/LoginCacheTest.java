// SPDX-License-Identifier: Apache-2.0
// This file contains the tests of the login cache: successes remembered briefly, failures never.
package io.polycube.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.login.FailedLoginException;
import org.junit.jupiter.api.Test;

class LoginCacheTest {
    /** A realm with one user, counting the logins that reach it. */
    private final AtomicInteger realmLogins = new AtomicInteger();
    private volatile String password = "secret";
    private final Login realm = credentials -> {
        realmLogins.incrementAndGet();
        if (credentials.user().equals("alice") && credentials.password().equals(password)) {
            return Set.of("admin");
        }
        throw new FailedLoginException("wrong");
    };
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void successIsRememberedUntilTheTtl() throws Exception {
        LoginCache cache = new LoginCache(realm, Duration.ofSeconds(30), now::get);
        assertEquals(Set.of("admin"), cache.login(new Credentials("alice", "secret")));
        assertEquals(Set.of("admin"), cache.login(new Credentials("alice", "secret")));
        assertEquals(1, realmLogins.get());
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        cache.login(new Credentials("alice", "secret"));
        assertEquals(2, realmLogins.get());
    }

    @Test
    void failuresAreNeverRemembered() {
        LoginCache cache = new LoginCache(realm, Duration.ofSeconds(30), now::get);
        for (int i = 0; i < 3; i++) {
            assertThrows(FailedLoginException.class, () -> cache.login(new Credentials("alice", "guess")));
        }
        assertEquals(3, realmLogins.get());
    }

    @Test
    void aWrongPasswordForACachedUserAsksTheRealmAndFails() throws Exception {
        LoginCache cache = new LoginCache(realm, Duration.ofSeconds(30), now::get);
        cache.login(new Credentials("alice", "secret"));
        assertThrows(FailedLoginException.class, () -> cache.login(new Credentials("alice", "secret2")));
        assertThrows(FailedLoginException.class, () -> cache.login(new Credentials("bob", "secret")));
        assertEquals(3, realmLogins.get());
        // the remembered login still stands for the right password
        cache.login(new Credentials("alice", "secret"));
        assertEquals(3, realmLogins.get());
    }

    @Test
    void aChangedPasswordIsTakenFromTheRealm() throws Exception {
        LoginCache cache = new LoginCache(realm, Duration.ofSeconds(30), now::get);
        cache.login(new Credentials("alice", "secret"));
        password = "new";
        assertEquals(Set.of("admin"), cache.login(new Credentials("alice", "new")));
        assertEquals(2, realmLogins.get());
    }

    @Test
    void zeroTtlLogsInEveryTime() throws Exception {
        LoginCache cache = new LoginCache(realm, Duration.ZERO, now::get);
        cache.login(new Credentials("alice", "secret"));
        cache.login(new Credentials("alice", "secret"));
        assertEquals(2, realmLogins.get());
    }

    @Test
    void manyUsersStayBounded() throws Exception {
        Login anyone = credentials -> Set.of("viewer");
        LoginCache cache = new LoginCache(anyone, Duration.ofSeconds(30), now::get);
        for (int i = 0; i < LoginCache.MAX_ENTRIES * 3; i++) {
            assertEquals(Set.of("viewer"), cache.login(new Credentials("u" + i, "p")));
        }
        assertEquals(Set.of("viewer"), cache.login(new Credentials("u0", "p")));
    }
}
