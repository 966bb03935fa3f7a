package io.polycube.core.impl;

import io.polycube.core.http.SecurityFilter;
import io.polycube.core.metrics.MetricsHttp;
import io.polycube.core.metrics.PrometheusMetrics;
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
import io.polycube.core.store.Persistence;
import io.polycube.core.store.RunningConfigFile;
import io.polycube.core.tables.TableException;
import io.polycube.core.tables.TableSchema;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: the cube registry (cube types arrive as whiteboard services), the datastore, the
 * instances, and the RESTCONF servlet published to the HTTP whiteboard under {@code /restconf}.
 */
@Component(immediate = true, service = {}, configurationPid = DaemonSettings.PID)
@Designate(ocd = DaemonSettings.Config.class)
public final class Polycubed {
    private static final Logger LOG = LoggerFactory.getLogger(Polycubed.class);

    private final YangModels models;
    private final Datastore datastore;
    private final InstanceManager instances;
    private final Optional<Persistence> persistence;
    private final ServiceRegistration<Servlet> servlet;
    private final ServiceRegistration<Polycube> service;
    private final MetricsHttp metricsHttp;
    private final ServiceRegistration<Servlet> hostMeta;
    private final ServiceRegistration<ControlPlane> console;
    private final CubeTypeFailures failures;
    private final boolean keepDataplaneOnStop;

    /** Start only once the security filter is on the whiteboard: RESTCONF is never served unauthenticated. */
    @Reference(target = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=" + SecurityFilter.NAME + ")")
    private javax.servlet.Filter security;

    /** Settings: {@link DaemonSettings}; no {@code @Modified}, so a changed configuration restarts the component. */
    @Activate
    public Polycubed(BundleContext context, @Reference YangParserFactory parsers,
            @Reference ServiceComponentRuntime components, DaemonSettings.Config config)
            throws YangModelException, CubeException {
        failures = new CubeTypeFailures(components);
        DaemonSettings settings = DaemonSettings.of(config);
        keepDataplaneOnStop = settings.keepDataplaneOnStop();
        models = new YangModels(parsers);
        PrometheusMetrics metrics = new PrometheusMetrics(true);
        instances = new InstanceManager(settings.bpffsRoot(), Optional.of(settings.injectorPrefix()), metrics);
        instances.setOrphanGrace(settings.orphanGrace());
        // At least 30 s, even with no orphan grace: the saved instances come back as their types register.
        instances.sweepLeftoversAfter(settings.orphanGrace().compareTo(java.time.Duration.ofSeconds(30)) > 0
            ? settings.orphanGrace() : java.time.Duration.ofSeconds(30));
        metrics.collectFrom(instances::metricsSample);
        datastore = new Datastore(models.context(), instances);
        persistence = settings.persistenceFile().map(file -> new Persistence(new RunningConfigFile(file)));
        persistence.ifPresent(datastore::setCommitListener);
        persistence.ifPresent(p -> {
            // Reloaded µCube code lives beside the configuration, and only as long as its instance is saved.
            UcubeStore ucubes = new UcubeStore(p.file().path().resolveSibling("ucubes"));
            ucubes.retainOnly(p.savedNames());
            instances.keepReloadedCode(ucubes);
        });
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/restconf/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "pcn-restconf");
        RestconfService restconf = new RestconfService(datastore, instances,
            Discovery.resources(models, datastore, () -> instances.topology().withFailures(failures.list()),
                instances::invokeAction));
        servlet = context.registerService(Servlet.class, new RestconfServlet(restconf), props);
        hostMeta = Discovery.registerHostMeta(context);
        service = context.registerService(Polycube.class, instances, null);
        // The pcn: console commands (same bundle) edit through the same RESTCONF transaction path.
        console = context.registerService(ControlPlane.class,
            new RestconfControlPlane(restconf, datastore, instances::cubeTypes), null);
        metricsHttp = MetricsHttp.publish(context, metrics);
        LOG.info("polycubed started; RESTCONF at /restconf/data, metrics at /metrics; configuration saved to {}",
            settings.persistenceFile().map(Path::toString).orElse("nowhere (persistence.file is empty)"));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCubeType(CubeType type, Map<String, Object> properties) {
        synchronized (models) {
            try {
                // The model first: a module that does not build changes nothing, not even an older registration.
                var context = models.addModule(moduleName(type), type.yangModule());
                TableSchema tables;
                try {
                    tables = TableSchema.of(context, type.name());
                } catch (TableException e) {
                    models.removeModule(moduleName(type));
                    refuse(type, properties, e.getMessage());
                    return;
                }
                datastore.setContext(context);
                instances.addType(type, tables);
            } catch (YangModelException | RuntimeException e) {
                refuse(type, properties, "its YANG module does not build: " + e.getMessage());
                return;
            }
        }
        failures.gone(type, properties);
        LOG.info("Cube type {} registered", type.name());
        // Its saved instances (and any waiting for it, e.g. transparent cubes on its ports) come back.
        persistence.ifPresent(p -> {
            p.moduleChanged(moduleName(type));
            // An orphan whose saved configuration the new model rejects stays on its old data path: say why.
            Map<String, String> refused = p.replay(datastore);
            String member = moduleName(type) + ":" + type.name();
            instances.refuseUpgrades(type.name(), name -> refused.get(Persistence.entryKey(member, name)));
        });
    }

    private void refuse(CubeType type, Map<String, Object> properties, String reason) {
        failures.refused(type, properties, reason);
        LOG.error("Cube type {} refused: {}", type.name(), reason);
    }

    void removeCubeType(CubeType type, Map<String, Object> properties) {
        failures.gone(type, properties);
        synchronized (models) {
            instances.removeType(type.name());
            datastore.setContext(models.removeModule(moduleName(type)));
        }
        // Its instances' configuration stays saved (parked) until the type is back.
        persistence.ifPresent(p -> p.moduleChanged(moduleName(type)));
        LOG.info("Cube type {} unregistered", type.name());
    }

    private static String moduleName(CubeType type) {
        return "pcn-" + type.name();
    }

    @Deactivate
    void close() {
        metricsHttp.close();
        console.unregister();
        service.unregister();
        hostMeta.unregister();
        servlet.unregister();
        if (keepDataplaneOnStop) {
            // The next start (or the updated core) takes it over from the pins.
            instances.release();
        } else {
            instances.close();
        }
        // Whatever is still in the journal goes into the main file: a stopped polycubed leaves one whole file.
        persistence.ifPresent(Persistence::close);
        LOG.info(keepDataplaneOnStop ? "polycubed stopped; its cubes keep forwarding for the next start to take over "
            + "(dataplane.keep.on.stop)" : "polycubed stopped; its data plane is gone");
    }
}
