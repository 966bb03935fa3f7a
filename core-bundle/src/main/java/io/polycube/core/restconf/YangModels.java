package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.source.SourceRepresentation;
import org.opendaylight.yangtools.yang.model.spi.source.URLYangTextSource;
import org.opendaylight.yangtools.yang.parser.api.YangParser;
import org.opendaylight.yangtools.yang.parser.api.YangParserException;
import org.opendaylight.yangtools.yang.parser.api.YangParserFactory;
import org.opendaylight.yangtools.yang.parser.api.YangSyntaxErrorException;

/**
 * The YANG schema of the RESTCONF datastore: the base modules shipped in this bundle under
 * {@code yang/} (pcn-base, ietf-inet-types, ietf-yang-types) plus the cube modules added at runtime.
 * Every change rebuilds the whole {@link EffectiveModelContext}; a module that does not parse leaves
 * the previous context in place. Thread-safe.
 */
public final class YangModels {
    /** The modules every context holds, loaded from this bundle's {@code yang/} resources. */
    public static final List<String> BASE_RESOURCES = List.of(
        "yang/ietf-inet-types@2013-07-15.yang", "yang/ietf-yang-types@2013-07-15.yang", "yang/pcn-base.yang",
        "yang/ietf-datastores@2018-02-14.yang", "yang/ietf-yang-library@2019-01-04.yang",
        "yang/ietf-restconf-monitoring@2017-01-26.yang", "yang/ietf-restconf@2017-01-26.yang",
        "yang/pcn-polycubed.yang");

    private final YangParserFactory parserFactory;
    private final List<URL> baseSources;
    private final Map<String, URL> cubeModules = new LinkedHashMap<>();
    /** The text of every module, base and cube, by module name (read once: a cube's bundle may go away). */
    private final Map<String, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile EffectiveModelContext context;

    /**
     * Uses the given parser factory; in OSGi pass the {@code YangParserFactory} service that
     * yang-parser-impl registers through DS (its implementation package is not exported).
     */
    public YangModels(YangParserFactory parserFactory) throws YangModelException {
        this.parserFactory = requireNonNull(parserFactory);
        this.baseSources = new ArrayList<>();
        for (String resource : BASE_RESOURCES) {
            URL url = YangModels.class.getClassLoader().getResource(resource);
            if (url == null) {
                throw new YangModelException("base YANG module " + resource + " missing from the bundle", null);
            }
            baseSources.add(url);
        }
        this.context = build(Map.of());
        for (URL url : baseSources) {
            remember(url);
        }
    }

    /** Finds a parser factory with {@link ServiceLoader} (works on a flat classpath, e.g. unit tests). */
    public YangModels() throws YangModelException {
        this(defaultParserFactory());
    }

    static YangParserFactory defaultParserFactory() {
        return ServiceLoader.load(YangParserFactory.class, YangModels.class.getClassLoader()).findFirst()
            .orElseThrow(() -> new IllegalStateException("no YangParserFactory implementation visible to "
                + "ServiceLoader; in OSGi pass the YangParserFactory service to YangModels(YangParserFactory)"));
    }

    public EffectiveModelContext context() {
        return context;
    }

    /** The names of the cube modules currently loaded. */
    public synchronized Set<String> cubeModules() {
        return Set.copyOf(cubeModules.keySet());
    }

    /**
     * Adds (or replaces) the cube module {@code moduleName} read from {@code source} and rebuilds the
     * context.
     *
     * @throws YangModelException with the parser's message if the module set does not build, or if
     *     the module breaks the cube convention; the previous context stays in place
     */
    public synchronized EffectiveModelContext addModule(String moduleName, URL source) throws YangModelException {
        Map<String, URL> next = new LinkedHashMap<>(cubeModules);
        next.put(requireNonNull(moduleName), requireNonNull(source));
        EffectiveModelContext built = build(next);
        Module module = built.findModules(moduleName).stream().findFirst().orElseThrow(
            () -> new YangModelException("source " + source + " does not define module " + moduleName, null));
        checkConvention(module);
        remember(source);
        cubeModules.put(moduleName, source);
        context = built;
        return built;
    }

    /** Removes a cube module (no-op if absent) and rebuilds the context. */
    public synchronized EffectiveModelContext removeModule(String moduleName) {
        if (cubeModules.containsKey(moduleName)) {
            Map<String, URL> next = new LinkedHashMap<>(cubeModules);
            next.remove(moduleName);
            try {
                context = build(next);
            } catch (YangModelException e) {
                // Removing a leaf module from a set that built cannot fail unless another cube imports it.
                throw new IllegalStateException(e.getMessage(), e);
            }
            cubeModules.remove(moduleName);
            texts.remove(moduleName);
        }
        return context;
    }

    /** The YANG text of a module of the current context (RFC 8525 {@code location}), if known. */
    public Optional<String> source(String moduleName) {
        return Optional.ofNullable(texts.get(moduleName));
    }

    private void remember(URL url) throws YangModelException {
        String text;
        try (var in = url.openStream()) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new YangModelException("cannot read " + url + ": " + e.getMessage(), e);
        }
        java.util.regex.Matcher name = MODULE_NAME.matcher(text);
        if (name.find()) {
            texts.put(name.group(2), text);
        }
    }

    private static final java.util.regex.Pattern MODULE_NAME =
        java.util.regex.Pattern.compile("(?m)^\\s*(module|submodule)\\s+\"?([a-zA-Z_][a-zA-Z0-9_.\\-]*)");

    /** A cube module {@code pcn-CUBE} has a top-level list {@code CUBE} keyed by {@code name}. */
    private static void checkConvention(Module module) throws YangModelException {
        String name = module.getName();
        String cube = name.startsWith("pcn-") ? name.substring("pcn-".length()) : "";
        boolean ok = !cube.isEmpty() && module.getChildNodes().stream().anyMatch(
            node -> node instanceof ListSchemaNode list && list.getQName().getLocalName().equals(cube)
            && list.getKeyDefinition().stream().map(QName::getLocalName).toList().equals(List.of("name")));
        if (!ok) {
            throw new YangModelException("cube module " + name + " must be named pcn-<cube> and have a top-level list"
                + " <cube> keyed by name", null);
        }
    }

    private EffectiveModelContext build(Map<String, URL> cubes) throws YangModelException {
        YangParser parser = parserFactory.createParser();
        try {
            List<SourceRepresentation> sources = new ArrayList<>();
            baseSources.forEach(url -> sources.add(new URLYangTextSource(url)));
            cubes.values().forEach(url -> sources.add(new URLYangTextSource(url)));
            parser.addSources(sources);
            return parser.buildEffectiveModel();
        } catch (YangSyntaxErrorException e) {
            throw new YangModelException(e.getFormattedMessage(), e);
        } catch (YangParserException | IOException | IllegalArgumentException e) {
            throw new YangModelException(messageChain(e), e);
        }
    }

    /**
     * The causes and the suppressed errors too: yangtools reports one unresolved statement as the cause
     * and the others as suppressed, and the first may well be an innocent base module that the broken
     * cube module kept from resolving.
     */
    private static String messageChain(Throwable error) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            append(sb, t);
            for (Throwable suppressed : t.getSuppressed()) {
                append(sb, suppressed);
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Throwable t) {
        if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
            sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
        }
    }
}
