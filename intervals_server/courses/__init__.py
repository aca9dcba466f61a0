"""Courses: a named route with a distance, the default for a recurrence's runs."""
