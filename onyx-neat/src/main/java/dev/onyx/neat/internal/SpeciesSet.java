package dev.onyx.neat.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The species of a population, as neat-python's {@code DefaultSpeciesSet}; mutable, one thread. */
public final class SpeciesSet {
    private final Compatibility compatibility;
    private final double threshold;
    private int nextKey = 1;
    /** Species by key; iteration in key order. */
    public final TreeMap<Integer, Species> species = new TreeMap<>();

    public SpeciesSet(Compatibility compatibility, double threshold) {
        this.compatibility = compatibility;
        this.threshold = threshold;
    }

    /**
     * Places every genome of {@code population} in a species. Each existing species first takes the unplaced genome
     * closest to its old representative as its new one; then each remaining genome (by key) joins the species whose
     * representative is closest, if closer than the threshold, or founds a new species.
     */
    public void speciate(Map<Integer, Genome> population, int generation) {
        TreeSet<Integer> unplaced = new TreeSet<>(population.keySet());
        Map<Integer, Integer> representatives = new LinkedHashMap<>();
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        for (Species s : species.values()) {
            if (unplaced.isEmpty()) {
                break;
            }
            int closest = closest(s.representative, unplaced, population);
            representatives.put(s.key, closest);
            members.put(s.key, new ArrayList<>(List.of(closest)));
            unplaced.remove(closest);
        }
        while (!unplaced.isEmpty()) {
            int id = unplaced.pollFirst();
            Genome genome = population.get(id);
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (Map.Entry<Integer, Integer> rep : representatives.entrySet()) {
                double d = compatibility.distance(population.get(rep.getValue()), genome);
                if (d < threshold && d < bestDistance) {
                    best = rep.getKey();
                    bestDistance = d;
                }
            }
            if (best < 0) {
                best = nextKey++;
                representatives.put(best, id);
                members.put(best, new ArrayList<>());
            }
            members.get(best).add(id);
        }
        rebuild(population, generation, representatives, members);
    }

    private void rebuild(
            Map<Integer, Genome> population,
            int generation,
            Map<Integer, Integer> representatives,
            Map<Integer, List<Integer>> members) {
        TreeMap<Integer, Species> updated = new TreeMap<>();
        for (Map.Entry<Integer, Integer> rep : representatives.entrySet()) {
            Species s = species.get(rep.getKey());
            if (s == null) {
                s = new Species(rep.getKey(), generation);
            }
            Map<Integer, Genome> memberMap = new LinkedHashMap<>();
            for (int id : members.get(rep.getKey())) {
                memberMap.put(id, population.get(id));
            }
            s.update(population.get(rep.getValue()), memberMap);
            updated.put(s.key, s);
        }
        species.clear();
        species.putAll(updated);
    }

    private int closest(Genome representative, TreeSet<Integer> candidates, Map<Integer, Genome> population) {
        int closest = candidates.first();
        double closestDistance = Double.POSITIVE_INFINITY;
        for (int id : candidates) {
            double d = compatibility.distance(representative, population.get(id));
            if (d < closestDistance) {
                closest = id;
                closestDistance = d;
            }
        }
        return closest;
    }
}
