// SPDX-License-Identifier: Apache-2.0
// This file contains the component that puts JsonErrorHandler into Pax Web's Jetty server.
package io.polycube.core.http.jetty;

import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pax Web 8 adds every {@link Handler} OSGi service to its Jetty server's handler collection, which hands
 * it the {@link Server}: the moment to replace the server's error handler (Pax Web offers no other hook
 * that reaches it without a fragment or a jetty.xml whose classes the Jetty bundle would have to see).
 * The handler itself handles nothing. The original error handler is put back when this goes away.
 */
@Component(service = Handler.class)
public final class JsonErrorHandlerInstaller extends AbstractHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandlerInstaller.class);
    private Server installedOn;
    private ErrorHandler original;

    @Override
    public synchronized void setServer(Server server) {
        super.setServer(server);
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

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // nothing: this handler only installs the error handler
    }

    @Deactivate
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
