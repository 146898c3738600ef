package io.iotgateway.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run found, for the report: each scenario's result by id, the facts about the run, and notes. */
final class Findings {

    /** In the order the scenarios ran. */
    final Map<String, Result> results = new LinkedHashMap<>();

    final RunFacts facts = new RunFacts();

    final List<String> notes = new ArrayList<>();

    void add(Result result) {
        this.results.put(result.id, result);
        Bench.log("%s", result.summary());
    }

    /** Adds the result of a scenario against a server, and stops the part if the server died in it. */
    void add(Result result, Child server) {
        add(result);
        server.checkAlive(result.system + ", " + result.scenario);
    }

    void note(String note) {
        this.notes.add(note);
    }
}
