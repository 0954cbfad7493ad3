"""Personal data with an end date: how long a contest keeps its records of people, the purge
once that time has passed, and the declared list of every personal field and its fate."""
