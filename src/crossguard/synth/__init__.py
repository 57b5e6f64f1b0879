"""Generated test and demo material: fake people and their documents."""
