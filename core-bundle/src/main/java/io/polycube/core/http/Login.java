// SPDX-License-Identifier: Apache-2.0
// This file contains the check of a user name and password against a realm.
package io.polycube.core.http;

import java.util.Set;
import javax.security.auth.login.LoginException;

/** Checks credentials; returns the user's role names or throws (wrong password, unknown user, no realm). */
@FunctionalInterface
public interface Login {
    Set<String> login(Credentials credentials) throws LoginException;
}
