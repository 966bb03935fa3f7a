// SPDX-License-Identifier: Apache-2.0
// This file contains the bundle activator that hands polycubed's two Jetty handlers to Pax Web.
package io.polycube.http.jetty;

import java.util.Dictionary;
import java.util.Hashtable;
import org.eclipse.jetty.server.Handler;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers one {@link Handler} service, {@link TraceRefusal}, which also installs the JSON error handler,
 * as soon as the bundle starts: at start level 31, right after Pax Web's bundles (30). pax-web-jetty answers
 * every Handler service that comes after its start by stopping its server and building a new one (a client
 * connection accepted just before is never answered), so this must come early, and once: then the restart
 * happens about when the first server starts, seconds before polycubed serves anything. Earlier is not
 * possible: pax-web-jetty fails to start (NullPointerException in its handler tracker) if a Handler service
 * is already there. A plain activator, not Declarative Services, so the time does not depend on SCR.
 */
public final class Activator implements BundleActivator {
    private ServiceRegistration<Handler> registration;
    private JsonErrorHandlerInstaller errors;

    @Override
    public void start(BundleContext context) {
        errors = new JsonErrorHandlerInstaller();
        // Pax Web runs Handler services ranked above 0 before its servlet contexts.
        Dictionary<String, Object> ranked = new Hashtable<>();
        ranked.put(Constants.SERVICE_RANKING, 10);
        registration = context.registerService(Handler.class, new TraceRefusal(errors), ranked);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        errors.restore();
    }
}
