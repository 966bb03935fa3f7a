package io.polycube.yang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.spi.source.URLYangTextSource;
import org.opendaylight.yangtools.yang.parser.api.YangParser;
import org.opendaylight.yangtools.yang.parser.api.YangParserFactory;

/** All modules parse together with RFC 6991, and every cube module follows the convention. */
class AllModulesParseTest {
    @Test
    void allModulesBuildOneContext() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src", "main", "yang"))) {
            files = list.filter(p -> p.toString().endsWith(".yang")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        YangParser parser = ServiceLoader.load(YangParserFactory.class).findFirst().orElseThrow().createParser();
        for (String ietf : List.of("ietf-inet-types@2013-07-15.yang", "ietf-yang-types@2013-07-15.yang")) {
            var url = getClass().getClassLoader().getResource("META-INF/yang/" + ietf);
            assertNotNull(url, ietf);
            parser.addLibSource(new URLYangTextSource(url));
        }
        for (Path file : files) {
            parser.addSource(new URLYangTextSource(file.toUri().toURL()));
        }
        EffectiveModelContext context = parser.buildEffectiveModel();

        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("(@.*)?\\.yang$", "");
            Module module = context.findModules(name).stream().findFirst().orElseThrow(() -> new AssertionError(name));
            if (!name.equals("pcn-base") && !name.equals("pcn-polycubed")) {
                assertCubeConvention(module, name.substring("pcn-".length()));
            }
        }
    }

    /** Module pcn-CUBE has a top-level list CUBE keyed by name. */
    private static void assertCubeConvention(Module module, String cube) throws IOException {
        assertTrue(module.getName().startsWith("pcn-"), module.getName());
        var top = module.getChildNodes().stream().filter(node -> node.getQName().getLocalName().equals(cube))
            .findFirst().orElseThrow(() -> new AssertionError(module.getName() + " has no top-level list " + cube));
        assertTrue(top instanceof ListSchemaNode, cube + " is not a list");
        assertEquals(List.of("name"), ((ListSchemaNode) top).getKeyDefinition().stream()
            .map(q -> q.getLocalName()).toList());
    }
}
