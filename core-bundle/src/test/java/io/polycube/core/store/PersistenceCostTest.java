package io.polycube.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.polycube.core.restconf.ConfigJson;
import io.polycube.core.restconf.Datastore;
import io.polycube.core.restconf.RestconfService;
import io.polycube.core.restconf.StateSource;
import io.polycube.core.restconf.YangModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * A measurement, not a check (run it with {@code -Dpcn.measure=true -Dtest=PersistenceCostTest}): what saving
 * adds to each commit when the configuration holds a 10,000-entry list, split into serialising the datastore
 * (RFC 7951) and writing both copies (temporary file, fsync, rename, directory fsync, twice). Prints
 * {@code <metric> <value>} lines (medians); the numbers are in core-bundle/README.md.
 */
@EnabledIfSystemProperty(named = "pcn.measure", matches = "true")
class PersistenceCostTest {
    private static final int RUNS = 11;

    @TempDir
    Path dir;

    @Test
    void savingA10kEntryConfiguration() throws Exception {
        YangModels models = new YangModels();
        EffectiveModelContext context = models.addModule("pcn-testkeys",
            getClass().getClassLoader().getResource("yang-test/pcn-testkeys.yang"));
        for (int routes : new int[] {10, 10_000}) {
            NormalizedNode root = configurationWith(context, routes);
            double[] serialise = new double[RUNS];
            double[] write = new double[RUNS];
            RunningConfigFile file = new RunningConfigFile(dir.resolve("running-" + routes + ".json"));
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                JsonObject json = ConfigJson.toJson(context, root);
                long serialised = System.nanoTime();
                file.write(json);
                serialise[i] = (serialised - start) / 1e6;
                write[i] = (System.nanoTime() - serialised) / 1e6;
            }
            System.out.printf("persistence.serialise_%d_entries_ms %.1f%n", routes, median(serialise));
            System.out.printf("persistence.write_%d_entries_ms %.1f%n", routes, median(write));
            System.out.printf("persistence.file_%d_entries_bytes %d%n", routes, Files.size(file.path()));
        }
    }

    private static NormalizedNode configurationWith(EffectiveModelContext context, int routes) throws Exception {
        Datastore datastore = new Datastore(context, changes -> { });
        RestconfService service = new RestconfService(datastore, StateSource.NONE);
        StringBuilder body = new StringBuilder("{\"pcn-testkeys:testkeys\":[{\"name\":\"big\",\"routes\":[");
        for (int i = 0; i < routes; i++) {
            body.append(i == 0 ? "" : ",").append("{\"prefix\":\"10.").append(i / 256).append('.').append(i % 256)
                .append(".0\",\"len\":24,\"via\":\"r").append(i).append("\"}");
        }
        body.append("]}]}");
        assertEquals(201, service.handle("PUT", "/data/pcn-testkeys:testkeys=big", Map.of(),
            "application/yang-data+json", body.toString()).status());
        return datastore.read(YangInstanceIdentifier.of()).orElseThrow();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
