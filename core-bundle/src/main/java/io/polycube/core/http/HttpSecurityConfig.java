// SPDX-License-Identifier: Apache-2.0
// This file contains the typed configuration (ConfigAdmin PID io.polycube.http) of polycubed's HTTP security.
package io.polycube.core.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** HTTP authentication, roles and request bounds; shipped as {@code etc/io.polycube.http.cfg}. */
@ObjectClassDefinition(id = HttpSecurityConfig.PID, name = "polycubed HTTP security",
    description = "HTTP Basic authentication through a JAAS realm, read-only and admin roles, request body bound")
public @interface HttpSecurityConfig {
    String PID = "io.polycube.http";

    @AttributeDefinition(description = "JAAS realm that checks HTTP Basic credentials (Karaf: etc/users.properties)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Roles that may read and change everything (comma-separated)")
    String[] adminRoles() default {"admin"};

    @AttributeDefinition(description = "Roles that may only read: GET, HEAD, OPTIONS (comma-separated)")
    String[] viewerRoles() default {"viewer"};

    @AttributeDefinition(description = "Largest accepted request body in bytes; a larger one is refused with 413",
        min = "0")
    long maxBodyBytes() default HttpSettings.DEFAULT_MAX_BODY;

    @AttributeDefinition(description = "Seconds a successful login is remembered (0: a JAAS login per request)",
        min = "0")
    int loginCacheSeconds() default 30;
}
