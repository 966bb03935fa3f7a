// SPDX-License-Identifier: Apache-2.0
// This file contains the HTTP whiteboard filter in front of every polycubed resource: login, roles, body bound.
package io.polycube.core.http;

import io.polycube.http.errors.ErrorBodies;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.login.LoginException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the default whiteboard context, for every path ({@code /restconf/*}, {@code /.well-known/*},
 * {@code /metrics} and whatever comes next): HTTP Basic through the JAAS realm (401), the role's rights
 * (403 for a read-only user's change), then the body read into memory within the bound (413) or refused
 * when the transfer breaks (400). The servlet sees a request with the body in memory. All refusals carry
 * an RFC 8040 body and happen before anything is parsed or changed.
 * <p>Configuration changes apply in place ({@code @Modified}); the filter is registered by hand with
 * fixed properties, so a change never re-registers it (a whiteboard re-registration would leave a moment
 * without the filter). An invalid change is logged and the settings in force stay.
 */
@Component(service = {}, immediate = true, configurationPid = HttpSecurityConfig.PID)
// Registered by hand, so bnd cannot see it: declare it, or Karaf's resolver finds nothing for Polycubed's reference.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=javax.servlet.Filter")
@Designate(ocd = HttpSecurityConfig.class)
public final class SecurityFilter implements Filter {
    public static final String NAME = "pcn-security";
    static final String CHALLENGE = "Basic realm=\"polycubed\"";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFilter.class);

    private record State(HttpSettings settings, Login login) {
    }

    private volatile State state;
    private final ServiceRegistration<Filter> registration;

    @Activate
    public SecurityFilter(BundleContext context, HttpSecurityConfig config) {
        state = state(HttpSettings.of(config));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME, NAME);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, "/*");
        registration = context.registerService(Filter.class, this, props);
        LOG.info("HTTP security: {}", state.settings());
    }

    @Modified
    void modified(HttpSecurityConfig config) {
        try {
            state = state(HttpSettings.of(config));
            LOG.info("HTTP security settings changed: {}", state.settings());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid {} configuration ignored, the previous settings stay: {}", HttpSecurityConfig.PID,
                e.getMessage());
        }
    }

    @Deactivate
    void close() {
        registration.unregister();
    }

    /** A new cache too: remembered logins never outlive a change of realm, roles or TTL. */
    private static State state(HttpSettings settings) {
        return new State(settings, new LoginCache(new JaasLogin(settings.realm()), settings.loginCache()));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        State current = state;
        Optional<Credentials> credentials = Credentials.parse(req.getHeader("Authorization"));
        if (credentials.isEmpty()) {
            unauthorized(resp, "authentication required");
            return;
        }
        Set<String> roles;
        try {
            roles = current.login().login(credentials.get());
        } catch (LoginException e) {
            LOG.debug("HTTP login of {} refused: {}", credentials.get().user(), e.toString());
            unauthorized(resp, "wrong user name or password");
            return;
        }
        Access access = current.settings().access(roles);
        if (!access.permits(req.getMethod())) {
            refuse(resp, 403, "access-denied", "user " + credentials.get().user()
                + (access == Access.READ_ONLY ? " may only read (GET, HEAD, OPTIONS)" : " has no role on this server"),
                null, null);
            return;
        }
        long limit = current.settings().maxBodyBytes();
        if (req.getContentLengthLong() > limit) {
            tooLarge(resp, limit);
            return;
        }
        byte[] body;
        try {
            body = BoundedBody.read(req.getInputStream(), limit);
        } catch (BodyTooLargeException e) {
            tooLarge(resp, limit);
            return;
        } catch (IOException | RuntimeException e) {
            // Jetty: EofException for a body cut short, BadMessageException for a malformed chunk.
            LOG.debug("request body of {} {} unreadable: {}", req.getMethod(), req.getRequestURI(), e.toString());
            refuse(resp, 400, "malformed-message", "request body incomplete or malformed", null, null);
            return;
        }
        HttpServletRequest wrapped;
        try {
            wrapped = CachedBodyRequest.of(req, body);
        } catch (IllegalArgumentException e) {
            refuse(resp, 400, "malformed-message", "query string is not valid percent-encoded UTF-8", null, null);
            return;
        }
        try {
            chain.doFilter(wrapped, new JsonErrorResponse(resp));
        } catch (ServletException | RuntimeException e) {
            // a servlet failed: the client gets a 500 with an RFC 8040 body, never the exception
            LOG.error("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            refuse(resp, 500, "operation-failed", "internal error", null, null);
        }
    }

    private static void unauthorized(HttpServletResponse resp, String message) throws IOException {
        refuse(resp, 401, "access-denied", message, "WWW-Authenticate", CHALLENGE);
    }

    private static void tooLarge(HttpServletResponse resp, long limit) throws IOException {
        // The rest of the body is not read: do not keep a connection whose input is mid-body.
        refuse(resp, 413, "too-big", "request body larger than " + limit + " bytes", "Connection", "close");
    }

    private static void refuse(HttpServletResponse resp, int status, String tag, String message, String header,
            String value) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (header != null) {
            resp.setHeader(header, value);
        }
        ErrorBodies.send(resp, status, ErrorBodies.body("protocol", tag, message));
    }

}
