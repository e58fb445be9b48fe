"""Models of the afwegingskader (steps 4-5), the help plan and the melding, split by
subdomain; import them from `decisions.models`."""
