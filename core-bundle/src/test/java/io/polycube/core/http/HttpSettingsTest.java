// SPDX-License-Identifier: Apache-2.0
// This file contains the tests of the security settings: roles to rights, validation.
package io.polycube.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
    private final HttpSettings settings = new HttpSettings("karaf", Set.of("admin"), Set.of("viewer", "ro"),
        HttpSettings.DEFAULT_MAX_BODY, Duration.ofSeconds(30));

    @Test
    void adminWinsOverViewer() {
        assertEquals(Access.ADMIN, settings.access(Set.of("viewer", "admin", "ssh")));
        assertEquals(Access.READ_ONLY, settings.access(Set.of("ro")));
        assertEquals(Access.NONE, settings.access(Set.of("ssh", "manager")));
        assertEquals(Access.NONE, settings.access(Set.of()));
    }

    @Test
    void readOnlyMayOnlyRead() {
        for (String read : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertTrue(Access.READ_ONLY.permits(read), read);
        }
        for (String change : new String[] {"PUT", "POST", "PATCH", "DELETE", "get", "TRACE", "FOO"}) {
            assertFalse(Access.READ_ONLY.permits(change), change);
            assertTrue(Access.ADMIN.permits(change), change);
        }
        assertFalse(Access.NONE.permits("GET"));
    }

    @Test
    void roleListsSplitOnCommas() {
        HttpSecurityConfig config = new HttpSecurityConfig() {
            public Class<HttpSecurityConfig> annotationType() {
                return HttpSecurityConfig.class;
            }

            public String realm() {
                return " karaf ";
            }

            public String[] adminRoles() {
                return new String[] {"admin, manager"};
            }

            public String[] viewerRoles() {
                return new String[] {"viewer", " ro "};
            }

            public long maxBodyBytes() {
                return 10;
            }

            public int loginCacheSeconds() {
                return 0;
            }
        };
        HttpSettings parsed = HttpSettings.of(config);
        assertEquals("karaf", parsed.realm());
        assertEquals(Set.of("admin", "manager"), parsed.adminRoles());
        assertEquals(Set.of("viewer", "ro"), parsed.viewerRoles());
        assertEquals(Duration.ZERO, parsed.loginCache());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
            () -> new HttpSettings("karaf", Set.of(), Set.of(), -1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
            () -> new HttpSettings("karaf", Set.of(), Set.of(), HttpSettings.MAX_BODY_LIMIT + 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
            () -> new HttpSettings(" ", Set.of(), Set.of(), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
            () -> new HttpSettings("karaf", Set.of(), Set.of(), 1, Duration.ofSeconds(-1)));
    }
}
