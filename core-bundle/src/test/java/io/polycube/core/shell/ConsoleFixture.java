package io.polycube.core.shell;

import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.InstanceChange;
import io.polycube.core.restconf.RestconfService;
import io.polycube.core.restconf.YangModelException;
import io.polycube.core.restconf.YangModels;
import io.polycube.core.spi.CubeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** The console over a real datastore and RESTCONF service with the real cube models and a recording applier. */
final class ConsoleFixture {
    private static EffectiveModelContext context;

    final List<List<InstanceChange>> applied = new ArrayList<>();
    CubeException failure;
    final Datastore datastore;
    final RestconfControlPlane plane;
    final Console console;

    ConsoleFixture() throws YangModelException {
        datastore = new Datastore(context(), changes -> {
            if (failure != null) {
                throw failure;
            }
            applied.add(changes);
        });
        RestconfService restconf = new RestconfService(datastore, (type, name) -> Optional.empty());
        plane = new RestconfControlPlane(restconf, datastore, () -> Set.of("simplefwd", "protofilter"));
        console = new Console(plane);
    }

    static synchronized EffectiveModelContext context() throws YangModelException {
        if (context == null) {
            YangModels models = new YangModels();
            models.addModule("pcn-simplefwd", module("pcn-simplefwd.yang"));
            context = models.addModule("pcn-protofilter", module("pcn-protofilter.yang"));
        }
        return context;
    }

    private static URL module(String file) {
        String dir = System.getProperty("pcn.yang.dir", "../yang-models/src/main/yang");
        try {
            return Path.of(dir).resolve(file).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole datastore as RFC 7951 JSON (config only), to compare before and after a refused command. */
    String config() {
        return plane.request("GET", "", Map.of("content", "config"), null).body();
    }

    /** What {@code show} prints. */
    String show(String... words) throws ConsoleException {
        return show(false, words);
    }

    String show(boolean json, String... words) throws ConsoleException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        console.show(List.of(words), json, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A forwarder with ports p1 (peer veth-a) and p2 (peer veth-b) and no actions. */
    ConsoleFixture fwd(String name) throws ConsoleException {
        console.add(List.of("simplefwd", name));
        console.add(List.of(name, "ports", "p1", "peer=" + name + "-a"));
        console.add(List.of(name, "ports", "p2", "peer=" + name + "-b"));
        return this;
    }
}
