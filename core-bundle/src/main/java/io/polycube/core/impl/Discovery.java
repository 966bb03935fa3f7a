package io.polycube.core.impl;

import io.polycube.core.model.CubeActions;
import io.polycube.core.model.FrameworkActions;
import io.polycube.core.model.FrameworkModel;
import io.polycube.core.model.Topology;
import io.polycube.core.restconf.ComputedResources;
import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.YangModels;
import io.polycube.core.restconf.library.HostMetaServlet;
import io.polycube.core.restconf.library.RestconfMonitoring;
import io.polycube.core.restconf.library.YangLibrary;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.servlet.Servlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/** Wiring of RESTCONF discovery (host-meta, YANG library, monitoring) and the framework model. */
final class Discovery {
    private Discovery() {
    }

    static ComputedResources resources(YangModels models, Datastore datastore, Topology topology,
            CubeActions.Invoker instances) {
        return new ComputedResources(models::source,
            List.of(new YangLibrary(), new RestconfMonitoring(), new FrameworkModel(topology)),
            List.of(new FrameworkActions(datastore), new CubeActions(datastore::context, instances)));
    }

    /** {@code /.well-known/host-meta[.json]} on the whiteboard's default context. */
    static ServiceRegistration<Servlet> registerHostMeta(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, HostMetaServlet.PATTERNS);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "pcn-host-meta");
        return context.registerService(Servlet.class, new HostMetaServlet(), props);
    }
}
