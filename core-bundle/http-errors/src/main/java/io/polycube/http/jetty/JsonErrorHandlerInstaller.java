// SPDX-License-Identifier: Apache-2.0
// This file contains what puts JsonErrorHandler into Pax Web's Jetty server.
package io.polycube.http.jetty;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the error handler of the Jetty server Pax Web hands to {@link TraceRefusal} (Pax Web 8 gives every
 * {@link org.eclipse.jetty.server.Handler} service the {@link Server}: the only hook that reaches it without
 * a fragment or a jetty.xml whose classes the Jetty bundle would have to see). The original error handler
 * is put back by {@link #restore()}.
 */
final class JsonErrorHandlerInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandlerInstaller.class);
    private Server installedOn;
    private ErrorHandler original;

    synchronized void install(Server server) {
        if (server != null && server != installedOn) {
            try {
                JsonErrorHandler json = new JsonErrorHandler();
                // Server.setErrorHandler starts the bean before handing it the server, which a started
                // handler refuses: give it the server first.
                json.setServer(server);
                original = server.getErrorHandler();
                server.setErrorHandler(json);
                installedOn = server;
            } catch (RuntimeException e) {
                // Never break Pax Web's start: Jetty's HTML pages are worse than none, not fatal.
                LOG.error("Jetty error handler not replaced; container errors stay HTML", e);
            }
        }
    }

    synchronized void restore() {
        if (installedOn != null && installedOn.getErrorHandler() instanceof JsonErrorHandler && original != null) {
            try {
                installedOn.setErrorHandler(original);
            } catch (RuntimeException e) {
                LOG.warn("Jetty's original error handler not restored", e);
            }
        }
        installedOn = null;
    }
}
