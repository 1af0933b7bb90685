package dev.shoal.controlplane.api;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Finds one object by the reference a user typed, as Docker's CLI does: the full id, then the
 * name, then a unique id prefix. An ambiguous reference is refused naming the candidates.
 */
final class Lookup {
    private static final int MAX_CANDIDATES_SHOWN = 5;

    private Lookup() {}

    static <T> T find(String kind, String ref, Collection<T> objects, Function<T, String> id, Function<T, String> name) {
        if (ref == null || ref.isEmpty()) {
            throw ApiException.invalid("ID", ServiceSpecValidator.quote(ref), "must name a " + kind + " by id, id prefix or name");
        }
        for (T o : objects) {
            if (ref.equals(id.apply(o))) {
                return o;
            }
        }
        List<T> named = objects.stream().filter(o -> ref.equals(name.apply(o))).toList();
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.size() > 1) {
            throw ambiguous(kind, ref, named.stream().map(id).sorted().toList(), "have that name");
        }
        List<T> prefixed = objects.stream().filter(o -> id.apply(o).startsWith(ref)).toList();
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            throw ambiguous(kind, ref, prefixed.stream().map(id).sorted().toList(), "have an id starting with it");
        }
        throw ApiException.notFound(kind, ref);
    }

    private static ApiException ambiguous(String kind, String ref, List<String> ids, String how) {
        String shown = String.join(", ", ids.subList(0, Math.min(ids.size(), MAX_CANDIDATES_SHOWN)))
                + (ids.size() > MAX_CANDIDATES_SHOWN ? ", ..." : "");
        return new ApiException(ErrorCode.INVALID_ARGUMENT,
                kind + " " + ref + " is ambiguous: " + ids.size() + " " + kind + "s " + how + " (" + shown + ")");
    }
}
