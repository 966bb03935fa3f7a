// SPDX-License-Identifier: Apache-2.0
// This file contains the short-lived memory of successful logins (a JAAS login per request is slow).
package io.polycube.core.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.security.auth.login.LoginException;

/**
 * Remembers a successful login for a while, keyed by user, holding a salted SHA-256 of the password
 * (never the password) compared in constant time. Failures are never remembered: every wrong password
 * costs a real login. A changed password in the realm takes effect for the old one after the TTL.
 */
public final class LoginCache implements Login {
    /** Only successful logins enter, so this bounds the number of real users remembered at once. */
    static final int MAX_ENTRIES = 1024;

    private record Entry(byte[] digest, Set<String> roles, long expiresAt) {
    }

    private final Login login;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final byte[] salt = new byte[16];
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public LoginCache(Login login, Duration ttl) {
        this(login, ttl, System::nanoTime);
    }

    LoginCache(Login login, Duration ttl, LongSupplier clock) {
        this.login = requireNonNull(login);
        this.ttlNanos = ttl.toNanos();
        this.clock = requireNonNull(clock);
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Set<String> login(Credentials credentials) throws LoginException {
        if (ttlNanos <= 0) {
            return login.login(credentials);
        }
        byte[] digest = digest(credentials);
        long now = clock.getAsLong();
        Entry cached = entries.get(credentials.user());
        if (cached != null && now - cached.expiresAt() < 0 && MessageDigest.isEqual(cached.digest(), digest)) {
            return cached.roles();
        }
        Set<String> roles = login.login(credentials);
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> now - e.expiresAt() >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(credentials.user(), new Entry(digest, Set.copyOf(roles), now + ttlNanos));
        return roles;
    }

    private byte[] digest(Credentials credentials) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(credentials.user().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return sha.digest(credentials.password().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
