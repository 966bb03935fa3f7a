// SPDX-License-Identifier: Apache-2.0
// This file contains the validated, immutable form of HttpSecurityConfig.
package io.polycube.core.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The security settings in force; role lists accept comma-separated values (a .cfg file gives one string). */
public record HttpSettings(String realm, Set<String> adminRoles, Set<String> viewerRoles, long maxBodyBytes,
        Duration loginCache) {
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    /** The body is held in one byte array. */
    static final long MAX_BODY_LIMIT = 1L << 30;

    public HttpSettings {
        requireNonNull(realm);
        adminRoles = Set.copyOf(adminRoles);
        viewerRoles = Set.copyOf(viewerRoles);
        requireNonNull(loginCache);
        if (realm.isBlank()) {
            throw new IllegalArgumentException("realm must not be empty");
        }
        if (maxBodyBytes < 0 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be in 0.." + MAX_BODY_LIMIT + ": " + maxBodyBytes);
        }
        if (loginCache.isNegative()) {
            throw new IllegalArgumentException("loginCacheSeconds must not be negative");
        }
    }

    public static HttpSettings of(HttpSecurityConfig config) {
        return new HttpSettings(config.realm().trim(), roles(config.adminRoles()), roles(config.viewerRoles()),
            config.maxBodyBytes(), Duration.ofSeconds(config.loginCacheSeconds()));
    }

    /** What a user holding these roles may do; admin wins over viewer. */
    public Access access(Set<String> roles) {
        if (roles.stream().anyMatch(adminRoles::contains)) {
            return Access.ADMIN;
        }
        return roles.stream().anyMatch(viewerRoles::contains) ? Access.READ_ONLY : Access.NONE;
    }

    private static Set<String> roles(String[] values) {
        return values == null ? Set.of() : Arrays.stream(values)
            .flatMap(v -> Arrays.stream(v.split(",")))
            .map(String::trim)
            .filter(r -> !r.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }
}
