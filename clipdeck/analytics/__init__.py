"""Creator analytics: daily aggregates of views, watch time, engagement and traffic sources."""
