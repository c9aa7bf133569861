/** The explorer's example operations, one or more per role, on the demo data. */
export interface ExplorerExample {
  role: 'ANALYST' | 'STEWARD' | 'STEERING' | 'ADMIN';
  title: string;
  query: string;
}

export const EXPLORER_EXAMPLES: ExplorerExample[] = [
  {
    role: 'ANALYST',
    title: 'Open blockers by priority',
    query: `# Needs a token with role ANALYST (npm run -s token -- --role ANALYST)
query AnalystOpenBlockers {
  blockers(first: 10, filter: { open: true }) {
    totalCount
    nodes {
      key
      title
      status
      layer
      priority {
        score
      }
    }
  }
}
`,
  },
  {
    role: 'STEWARD',
    title: 'My organisation and its data needs',
    query: `# Needs a token with role STEWARD and an organisation
# (npm run -s token -- --role STEWARD --org 00000001810220350000)
query StewardNeeds {
  viewer {
    name
    roles
    provider {
      name
    }
  }
  dataNeeds(first: 10) {
    totalCount
    nodes {
      purpose
      state
      supplier {
        name
      }
    }
  }
}
`,
  },
  {
    role: 'STEERING',
    title: 'What to resolve first',
    query: `# Needs a token with role STEERING (npm run -s token -- --role STEERING)
query SteeringCriticalBlockers {
  criticalBlockers(first: 5) {
    needsUnblocked
    peopleReached
    blocker {
      key
      title
      status
    }
  }
  stats {
    open
  }
}
`,
  },
  {
    role: 'ADMIN',
    title: 'Providers in the registry',
    query: `# Needs a token with role ADMIN (npm run -s token -- --role ADMIN)
query AdminProviders {
  viewer {
    subject
    roles
  }
  providers(first: 20) {
    totalCount
    nodes {
      name
    }
  }
}
`,
  },
];
