package io.polycube.core.impl;

import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.RestconfService;
import io.polycube.core.restconf.RestconfServlet;
import io.polycube.core.restconf.YangModelException;
import io.polycube.core.restconf.YangModels;
import io.polycube.core.api.Polycube;
import io.polycube.core.shell.ControlPlane;
import io.polycube.core.shell.RestconfControlPlane;
import io.polycube.core.spi.CubeException;
import io.polycube.core.spi.CubeType;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import javax.servlet.Servlet;
import org.opendaylight.yangtools.yang.parser.api.YangParserFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: the cube registry (cube types arrive as whiteboard services), the datastore, the
 * instances, and the RESTCONF servlet published to the HTTP whiteboard under {@code /restconf}.
 */
@Component(immediate = true, service = {})
public final class Polycubed {
    private static final Logger LOG = LoggerFactory.getLogger(Polycubed.class);

    private final YangModels models;
    private final Datastore datastore;
    /** Where the patch panels are pinned; override with the system property {@value #BPFFS_PROPERTY}. */
    static final String BPFFS_PROPERTY = "pcn.bpffs.root";
    private static final String BPFFS_DEFAULT = "/sys/fs/bpf/pcn";

    private final InstanceManager instances;
    private final ServiceRegistration<Servlet> servlet;
    private final ServiceRegistration<Polycube> service;
    private final ServiceRegistration<ControlPlane> console;
    /** Names of the injector veth pair {@code <prefix>0/1}; override with {@value #INJECTOR_PROPERTY}. */
    static final String INJECTOR_PROPERTY = "pcn.injector.prefix";
    private static final String INJECTOR_DEFAULT = "pcninj";

    @Activate
    public Polycubed(BundleContext context, @Reference YangParserFactory parsers) throws YangModelException,
            CubeException {
        models = new YangModels(parsers);
        instances = new InstanceManager(Path.of(System.getProperty(BPFFS_PROPERTY, BPFFS_DEFAULT)),
            Optional.of(System.getProperty(INJECTOR_PROPERTY, INJECTOR_DEFAULT)));
        datastore = new Datastore(models.context(), instances);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/restconf/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "pcn-restconf");
        RestconfService restconf = new RestconfService(datastore, instances);
        servlet = context.registerService(Servlet.class, new RestconfServlet(restconf), props);
        service = context.registerService(Polycube.class, instances, null);
        // The pcn: console commands (same bundle) edit through the same RESTCONF transaction path.
        console = context.registerService(ControlPlane.class,
            new RestconfControlPlane(restconf, datastore, instances::cubeTypes), null);
        LOG.info("polycubed started; RESTCONF at /restconf/data");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCubeType(CubeType type) {
        synchronized (models) {
            try {
                // The model first: a module that does not build changes nothing, not even an older registration.
                datastore.setContext(models.addModule(moduleName(type), type.yangModule()));
                instances.addType(type);
            } catch (YangModelException | RuntimeException e) {
                LOG.error("Cube type {} refused: its YANG module does not build: {}", type.name(), e.getMessage());
                return;
            }
        }
        LOG.info("Cube type {} registered", type.name());
    }

    void removeCubeType(CubeType type) {
        synchronized (models) {
            instances.removeType(type.name());
            datastore.setContext(models.removeModule(moduleName(type)));
        }
        LOG.info("Cube type {} unregistered", type.name());
    }

    private static String moduleName(CubeType type) {
        return "pcn-" + type.name();
    }

    @Deactivate
    void close() {
        console.unregister();
        service.unregister();
        servlet.unregister();
        instances.close();
        LOG.info("polycubed stopped");
    }
}
