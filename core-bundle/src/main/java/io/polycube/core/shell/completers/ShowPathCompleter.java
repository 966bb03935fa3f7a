package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completion for {@code pcn:show}. */
@Service
public class ShowPathCompleter extends PathCompleter {
    @Override
    Completions.Mode mode() {
        return Completions.Mode.SHOW;
    }
}
