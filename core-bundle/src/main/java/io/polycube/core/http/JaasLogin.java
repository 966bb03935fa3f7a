// SPDX-License-Identifier: Apache-2.0
// This file contains the login through a JAAS realm (Karaf's "karaf" realm: etc/users.properties).
package io.polycube.core.http;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/** One JAAS login per call; the roles are the subject's Karaf {@link RolePrincipal}s (group roles included). */
public final class JaasLogin implements Login {
    private final String realm;

    public JaasLogin(String realm) {
        this.realm = requireNonNull(realm);
    }

    @Override
    public Set<String> login(Credentials credentials) throws LoginException {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's module class (Karaf: ProxyLoginModule) through the context class
        // loader; on a Jetty thread that is the web context's, which does not see it.
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> answer(callbacks, credentials));
            context.login();
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream()
                .map(RolePrincipal::getName)
                .collect(Collectors.toUnmodifiableSet());
            context.logout();
            return roles;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void answer(Callback[] callbacks, Credentials credentials) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(credentials.user());
            } else if (callback instanceof PasswordCallback password) {
                password.setPassword(credentials.password().toCharArray());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
